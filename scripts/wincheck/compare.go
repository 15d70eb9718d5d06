package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// load reads the findings of a JSON Lines report and normalises their
// paths: every string that starts with root (a native path of the build
// that wrote it) gets "{root}" in its place and forward slashes after it,
// so the Linux build's testdata/demo/C/inetpub/x and the Windows build's
// Z:\...\demo\C\inetpub\x compare equal. Each finding becomes its
// canonical JSON (keys sorted).
func load(path, root string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var v map[string]any
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if v["type"] != "finding" {
			continue
		}
		b, err := json.Marshal(normalise(v, root))
		if err != nil {
			return nil, err
		}
		out = append(out, string(b))
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

func normalise(v any, root string) any {
	switch x := v.(type) {
	case string:
		for _, r := range []string{root, strings.ReplaceAll(root, `\`, `\\`)} {
			if i := strings.Index(x, r); i >= 0 {
				rest := x[i+len(r):]
				return x[:i] + "{root}" + strings.ReplaceAll(strings.ReplaceAll(rest, `\\`, "/"), `\`, "/")
			}
		}
		return x
	case map[string]any:
		for k, e := range x {
			x[k] = normalise(e, root)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalise(e, root)
		}
		return x
	}
	return v
}

// compare lists the findings only one side has (a and b are sorted).
func compare(a, b []string) []string {
	var d []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			d = append(d, "only in the first:  "+short(a[i]))
			i++
		case i >= len(a) || b[j] < a[i]:
			d = append(d, "only in the second: "+short(b[j]))
			j++
		default:
			i++
			j++
		}
	}
	return d
}

// short keeps a difference readable: rule, path and fingerprint first.
func short(s string) string {
	var v map[string]any
	if json.Unmarshal([]byte(s), &v) == nil {
		return fmt.Sprintf("rule=%v path=%q fingerprint=%v (%d bytes of JSON)", v["rule"], v["path"], v["fingerprint"], len(s))
	}
	return s
}
