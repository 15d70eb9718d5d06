package watch

import (
	"io/fs"
	"os"
	"syscall"
)

const (
	fileReadAttributes = 0x80
	shareAll           = syscall.FILE_SHARE_READ | syscall.FILE_SHARE_WRITE | syscall.FILE_SHARE_DELETE
	flagOpenReparse    = 0x00200000 // FILE_FLAG_OPEN_REPARSE_POINT: do not follow links
)

// openShared opens path read-only with every share mode, so that IIS and
// Exchange can keep writing, renaming and deleting the file while it is
// open (os.Open leaves out FILE_SHARE_DELETE).
func openShared(path string) (*os.File, error) {
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ, shareAll, nil, syscall.OPEN_EXISTING,
		syscall.FILE_ATTRIBUTE_NORMAL|flagOpenReparse, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}

// statPath reads size, modification time and identity (volume serial and
// file index) through a handle: the directory entry that os.Stat reads is
// updated lazily while IIS keeps its log open, the handle is not.
func statPath(path string) (fileStat, error) {
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return fileStat{}, err
	}
	h, err := syscall.CreateFile(p, fileReadAttributes, shareAll, nil, syscall.OPEN_EXISTING,
		syscall.FILE_FLAG_BACKUP_SEMANTICS|flagOpenReparse, 0)
	if err != nil {
		return fileStat{}, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	defer syscall.CloseHandle(h)
	return statHandle(h, path)
}

// statOpen returns the same for an open file.
func statOpen(f *os.File) (fileStat, error) {
	return statHandle(syscall.Handle(f.Fd()), f.Name())
}

func statHandle(h syscall.Handle, path string) (fileStat, error) {
	var fi syscall.ByHandleFileInformation
	if err := syscall.GetFileInformationByHandle(h, &fi); err != nil {
		return fileStat{}, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	st := fileStat{
		size:  int64(fi.FileSizeHigh)<<32 | int64(fi.FileSizeLow),
		mtime: fi.LastWriteTime.Nanoseconds(),
		id:    fileID{Dev: uint64(fi.VolumeSerialNumber), Ino: uint64(fi.FileIndexHigh)<<32 | uint64(fi.FileIndexLow)},
	}
	switch {
	case fi.FileAttributes&syscall.FILE_ATTRIBUTE_REPARSE_POINT != 0:
		st.mode = fs.ModeSymlink
	case fi.FileAttributes&syscall.FILE_ATTRIBUTE_DIRECTORY != 0:
		st.mode = fs.ModeDir
	}
	return st, nil
}
