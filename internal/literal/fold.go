package literal

// LowerByte folds an ASCII upper-case letter to lower case.
func LowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Lower returns s with ASCII upper-case letters folded; s itself when it
// has none.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return string(AppendLower(nil, []byte(s)))
		}
	}
	return s
}

// AppendLower appends src to dst with ASCII upper-case letters folded.
func AppendLower(dst, src []byte) []byte {
	for _, c := range src {
		dst = append(dst, LowerByte(c))
	}
	return dst
}

// EqualFold reports whether s folds to lower, which must be lower case
// already (see Lower).
func EqualFold(s, lower string) bool {
	return len(s) == len(lower) && HasPrefixFold(s, lower)
}

// HasPrefixFold reports whether s starts with the lower-case prefix,
// ignoring ASCII case in s.
func HasPrefixFold[S string | []byte](s S, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if LowerByte(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// HasSuffixFold reports whether s ends with the lower-case suffix,
// ignoring ASCII case in s.
func HasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && HasPrefixFold(s[len(s)-len(suffix):], suffix)
}

// IndexFold returns the first index of the lower-case needle in s,
// ignoring ASCII case in s, or -1.
func IndexFold[S string | []byte](s S, needle string) int {
	n := len(needle)
	if n == 0 {
		return 0
	}
	first := needle[0]
	upper := first
	if 'a' <= first && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	for i := 0; i+n <= len(s); i++ {
		if c := s[i]; c != first && c != upper {
			continue
		}
		if HasPrefixFold(s[i:i+n], needle) {
			return i
		}
	}
	return -1
}

// ContainsFold reports whether s holds the lower-case needle, ignoring
// ASCII case in s.
func ContainsFold[S string | []byte](s S, needle string) bool {
	return IndexFold(s, needle) >= 0
}
