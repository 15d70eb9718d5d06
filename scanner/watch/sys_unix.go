//go:build !windows

package watch

import (
	"os"
	"syscall"
)

// statPath returns the size, modification time and identity (device and
// inode) of the file at path, following no links.
func statPath(path string) (fileStat, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return fileStat{}, err
	}
	return fromInfo(fi), nil
}

// statOpen returns the same for an open file.
func statOpen(f *os.File) (fileStat, error) {
	fi, err := f.Stat()
	if err != nil {
		return fileStat{}, err
	}
	return fromInfo(fi), nil
}

func fromInfo(fi os.FileInfo) fileStat {
	st := fileStat{size: fi.Size(), mtime: fi.ModTime().UnixNano(), mode: fi.Mode()}
	if s, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.id = fileID{Dev: uint64(s.Dev), Ino: uint64(s.Ino)}
	}
	return st
}
