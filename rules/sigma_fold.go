package rules

// ASCII case folding, as the prefilter does it.

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return string(appendLowerASCII(nil, []byte(s)))
		}
	}
	return s
}

func appendLowerASCII(dst, src []byte) []byte {
	for _, c := range src {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// eqFold compares a with the already lower-cased b.
func eqFold(a, b string, fold bool) bool {
	if !fold {
		return a == b
	}
	for i := 0; i < len(b); i++ {
		c := a[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != b[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains the lower-case needle, ignoring
// ASCII case in s.
func containsFold(s, needle string) bool {
	n := len(needle)
	if n == 0 {
		return true
	}
	first := needle[0]
	upper := first
	if 'a' <= first && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	for i := 0; i+n <= len(s); i++ {
		c := s[i]
		if c != first && c != upper {
			continue
		}
		if eqFold(s[i:i+n], needle, true) {
			return true
		}
	}
	return false
}
