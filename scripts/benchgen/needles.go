package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// printNeedles writes the literal strings a plain-text search needs to
// find the log lines exscan's built-in content is about, one per line, for
// 'rg -F -i -f': the values of every positive Sigma selection (contains,
// startswith, endswith, exact and keyword values; not regexes, not filter_
// selections, not status or method codes, nothing shorter than 5 bytes)
// and the ip, useragent, domain and url values of the indicator lists (a
// url regex by its literal tail, "/x.aspx"). With sigma false, only the
// indicator values.
func printNeedles(w io.Writer, repo string, sigma bool) error {
	set := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if len(s) >= 5 {
			set[s] = true
		}
	}
	rules, err := filepath.Glob(filepath.Join(repo, "rules", "sigma", "*.yml"))
	if err != nil {
		return err
	}
	if !sigma {
		rules = nil
	} else if len(rules) == 0 {
		return fmt.Errorf("no Sigma rules under %s/rules/sigma", repo)
	}
	for _, f := range rules {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var doc struct {
			Detection map[string]yaml.Node `yaml:"detection"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: %v", f, err)
		}
		for name, sel := range doc.Detection {
			if name == "condition" || strings.HasPrefix(name, "filter") {
				continue
			}
			sigmaValues(&sel, "", add)
		}
	}
	tsvs, err := filepath.Glob(filepath.Join(repo, "iocs", "data", "*.tsv"))
	if err != nil {
		return err
	}
	for _, f := range tsvs {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) < 2 || strings.HasPrefix(cols[0], "#") {
				continue
			}
			v := cols[1]
			switch cols[0] {
			case "ip", "domain":
				add(v)
			case "useragent":
				add(v)
				add(strings.ReplaceAll(v, "+", " "))
				add(strings.ReplaceAll(v, " ", "+"))
			case "url":
				if lit, ok := regexLiteral(v); ok {
					add(lit)
				} else if tail := regexTail(v); len(tail) >= 5 {
					add(tail)
				}
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	bw := bufio.NewWriter(w)
	for _, s := range out {
		fmt.Fprintln(bw, s)
	}
	return bw.Flush()
}

// sigmaValues walks one selection: a map of field|modifiers to values, a
// list of such maps, or a list of keywords.
func sigmaValues(n *yaml.Node, key string, add func(string)) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			sigmaValues(n.Content[i+1], n.Content[i].Value, add)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			sigmaValues(c, key, add)
		}
	case yaml.ScalarNode:
		parts := strings.Split(key, "|")
		switch strings.ToLower(parts[0]) {
		case "sc-status", "httpstatus", "cs-method", "method", "cs-username":
			return
		}
		for _, m := range parts[1:] {
			if m == "re" || m == "cidr" || m == "base64" || m == "base64offset" {
				return
			}
		}
		// Sigma wildcards (* and ?, unless escaped with \): keep the
		// longest literal run.
		var runs []string
		var cur strings.Builder
		for i := 0; i < len(n.Value); i++ {
			c := n.Value[i]
			switch {
			case c == '\\' && i+1 < len(n.Value) && strings.IndexByte(`*?\\`, n.Value[i+1]) >= 0:
				i++
				cur.WriteByte(n.Value[i])
			case c == '*' || c == '?':
				runs = append(runs, cur.String())
				cur.Reset()
			default:
				cur.WriteByte(c)
			}
		}
		runs = append(runs, cur.String())
		best := ""
		for _, r := range runs {
			if len(r) > len(best) {
				best = r
			}
		}
		add(best)
	}
}

// regexTail is the literal an indicator regex ends with ("/1.aspx" of
// "^/(ecp|owa/auth)/1\.aspx$"): every match holds it.
func regexTail(re string) string {
	s := strings.TrimSuffix(re, "$")
	s = strings.ReplaceAll(s, `\.`, "\x00")
	if i := strings.LastIndexAny(s, `\()[]{}|*+?^$`); i >= 0 {
		s = s[i+1:]
	}
	return strings.ReplaceAll(s, "\x00", ".")
}

// regexLiteral turns an anchored indicator regex that is really a literal
// (only '\.' escapes) into the literal.
func regexLiteral(re string) (string, bool) {
	s := strings.TrimSuffix(strings.TrimPrefix(re, "^"), "$")
	s = strings.ReplaceAll(s, `\.`, ".")
	if strings.ContainsAny(s, `\()[]{}|*+?^$`) {
		return "", false
	}
	return s, true
}
