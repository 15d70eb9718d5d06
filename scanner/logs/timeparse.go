package logs

import "time"

// Time parsing without allocations. Logs carry millions of timestamps in a
// handful of shapes, so these hand-rolled parsers replace time.Parse on the
// hot path; they validate ranges and report failure instead of normalising.

// num parses s[i:i+n] as a decimal number.
func num(s string, i, n int) (int, bool) {
	if i < 0 || i+n > len(s) {
		return 0, false
	}
	v := 0
	for j := i; j < i+n; j++ {
		c := s[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseYMD parses "YYYY-MM-DD".
func parseYMD(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	y, ok1 := num(s, 0, 4)
	m, ok2 := num(s, 5, 2)
	d, ok3 := num(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// parseHMS parses "HH:MM:SS" (or "H:MM:SS") with an optional fraction
// ".fff..." and returns the offset from midnight.
func parseHMS(s string) (time.Duration, bool) {
	if len(s) >= 2 && s[1] == ':' { // one-digit hour (IIS native format)
		if s[0] < '0' || s[0] > '9' {
			return 0, false
		}
		d, ok := parseMS(s[2:])
		return time.Duration(s[0]-'0')*time.Hour + d, ok
	}
	if len(s) < 8 || s[2] != ':' {
		return 0, false
	}
	h, ok := num(s, 0, 2)
	if !ok || h > 23 {
		return 0, false
	}
	d, ok := parseMS(s[3:])
	return time.Duration(h)*time.Hour + d, ok
}

// parseMS parses "MM:SS[.fff]".
func parseMS(s string) (time.Duration, bool) {
	if len(s) < 5 || s[2] != ':' {
		return 0, false
	}
	mi, ok1 := num(s, 0, 2)
	se, ok2 := num(s, 3, 2)
	if !ok1 || !ok2 || mi > 59 || se > 60 {
		return 0, false
	}
	d := time.Duration(mi)*time.Minute + time.Duration(se)*time.Second
	if len(s) == 5 {
		return d, true
	}
	if s[5] != '.' && s[5] != ',' || len(s) == 6 {
		return 0, false
	}
	frac, scale := 0, int(time.Second)
	for j := 6; j < len(s); j++ {
		c := s[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		if scale > 1 {
			scale /= 10
			frac += int(c-'0') * scale
		}
	}
	return d + time.Duration(frac), true
}

// dayCache remembers the last date seen, because consecutive log lines
// almost always share it and time.Date is the costly part.
type dayCache struct {
	key [10]byte
	ok  bool
	day time.Time
}

func (c *dayCache) date(s string) (time.Time, bool) {
	if c.ok && len(s) == 10 && string(c.key[:]) == s {
		return c.day, true
	}
	y, m, d, ok := parseYMD(s)
	if !ok {
		return time.Time{}, false
	}
	copy(c.key[:], s)
	c.ok = true
	c.day = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return c.day, true
}

// dateTime combines a "YYYY-MM-DD" date and an "HH:MM:SS[.fff]" time (UTC).
func (c *dayCache) dateTime(date, clock string) (time.Time, bool) {
	day, ok := c.date(date)
	if !ok {
		return time.Time{}, false
	}
	if clock == "" {
		return day, true
	}
	off, ok := parseHMS(clock)
	if !ok {
		return time.Time{}, false
	}
	return day.Add(off), true
}

// iso parses ISO-8601 / RFC 3339 timestamps as written by Exchange:
// "2021-03-03T06:49:42.162Z", also without a zone (taken as UTC), with a
// numeric offset, or with a space instead of the T.
func (c *dayCache) iso(s string) (time.Time, bool) {
	if len(s) < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
		if len(s) == 10 {
			return c.date(s)
		}
		return time.Time{}, false
	}
	day, ok := c.date(s[:10])
	if !ok {
		return time.Time{}, false
	}
	rest := s[11:]
	// zone suffix
	zone := 0
	switch n := len(rest); {
	case rest[n-1] == 'Z' || rest[n-1] == 'z':
		rest = rest[:n-1]
	case n >= 14 && (rest[n-6] == '+' || rest[n-6] == '-') && rest[n-3] == ':':
		zh, ok1 := num(rest, n-5, 2)
		zm, ok2 := num(rest, n-2, 2)
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return time.Time{}, false
		}
		zone = zh*3600 + zm*60
		if rest[n-6] == '-' {
			zone = -zone
		}
		rest = rest[:n-6]
	}
	off, ok := parseHMS(rest)
	if !ok {
		return time.Time{}, false
	}
	return day.Add(off - time.Duration(zone)*time.Second), true
}

// usDateTime parses the IIS native format's "MM/DD/YY" (or "M/D/YYYY")
// date and "H:MM:SS" time. IIS native logs use the server's local time;
// the clock reading is kept as if it were UTC.
func usDateTime(date, clock string) (time.Time, bool) {
	var parts [3]int
	p, n, digits := 0, 0, 0
	for i := 0; i <= len(date); i++ {
		if i == len(date) || date[i] == '/' {
			if digits == 0 || p > 2 {
				return time.Time{}, false
			}
			parts[p] = n
			p, n, digits = p+1, 0, 0
			continue
		}
		c := date[i]
		if c < '0' || c > '9' || digits == 4 {
			return time.Time{}, false
		}
		n = n*10 + int(c-'0')
		digits++
	}
	if p != 3 {
		return time.Time{}, false
	}
	m, d, y := parts[0], parts[1], parts[2]
	if y < 100 {
		if y < 70 {
			y += 2000
		} else {
			y += 1900
		}
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return time.Time{}, false
	}
	off, ok := parseHMS(clock)
	if !ok {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Add(off), true
}
