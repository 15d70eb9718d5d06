package sysfile

import "strings"

// maxShortPath is where Windows' classic path limit (MAX_PATH, 260 UTF-16
// units with the terminating NUL; 248 for a folder) starts to bite.
const maxShortPath = 248

// LongPath returns the \\?\ form of a Windows path when it is too long
// for the classic API limit, so that calls made directly to the Win32 API
// (not through package os, which does this itself) reach files deep in a
// tree: C:\a\..\b becomes \\?\C:\b, \\server\share\x becomes
// \\?\UNC\server\share\x. Short paths, relative paths and paths already
// in \\?\ or \\.\ form are returned as they are. It is plain string work,
// the same on every system.
func LongPath(p string) string {
	if len(p) < maxShortPath {
		return p
	}
	if strings.HasPrefix(p, `\\?\`) || strings.HasPrefix(p, `\\.\`) || strings.HasPrefix(p, `//?/`) || strings.HasPrefix(p, `//./`) {
		return p
	}
	p = strings.ReplaceAll(p, "/", `\`)
	var prefix, rest string
	switch {
	case len(p) >= 3 && isLetter(p[0]) && p[1] == ':' && p[2] == '\\':
		prefix, rest = `\\?\`+p[:2], p[2:]
	case strings.HasPrefix(p, `\\`):
		// \\server\share\...: the server and share stay as they are.
		parts := strings.SplitN(p[2:], `\`, 3)
		if len(parts) < 3 || parts[0] == "" || parts[1] == "" {
			return p
		}
		prefix, rest = `\\?\UNC\`+parts[0]+`\`+parts[1], `\`+parts[2]
	default:
		return p // relative or drive-relative: cannot be made \\?\
	}
	// \\?\ paths are taken literally: resolve . and .. and doubled
	// separators here, never going above the drive or share.
	var out []string
	for _, s := range strings.Split(rest, `\`) {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	return prefix + `\` + strings.Join(out, `\`)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
