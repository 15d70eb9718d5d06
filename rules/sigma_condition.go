package rules

// Condition rewrite: "1 of X*", "all of them" and the like are expanded
// into explicit boolean expressions before sigma-go parses a condition.

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

type condError struct {
	line int
	msg  string
}

func (e *condError) Error() string { return e.msg }

var ofPatternRe = regexp.MustCompile(`(?i)\b(\d+|all|any)\s+of\s+([A-Za-z0-9_*]+)`)

// expandConditionPatterns rewrites "N of name*" and "N of them" in the
// detection's condition(s) into explicit and/or over the search names.
func expandConditionPatterns(det *yaml.Node) *condError {
	if det.Kind != yaml.MappingNode {
		return &condError{det.Line, "detection is not a mapping"}
	}
	var names []string
	var cond *yaml.Node
	for i := 0; i+1 < len(det.Content); i += 2 {
		k := det.Content[i].Value
		switch k {
		case "condition":
			cond = det.Content[i+1]
		case "timeframe":
		default:
			names = append(names, k)
		}
	}
	if cond == nil {
		return &condError{det.Line, "detection has no condition"}
	}
	var scalars []*yaml.Node
	switch cond.Kind {
	case yaml.ScalarNode:
		scalars = []*yaml.Node{cond}
	case yaml.SequenceNode:
		scalars = cond.Content
	}
	for _, n := range scalars {
		if n.Kind != yaml.ScalarNode {
			continue
		}
		if strings.Contains(n.Value, "|") {
			return &condError{n.Line, fmt.Sprintf("condition %q: aggregation conditions are not supported", n.Value)}
		}
		out, err := expandCondition(n.Value, names)
		if err != nil {
			return &condError{n.Line, err.Error()}
		}
		n.Value = out
	}
	return nil
}

func expandCondition(cond string, names []string) (string, error) {
	var ferr error
	out := ofPatternRe.ReplaceAllStringFunc(cond, func(m string) string {
		sub := ofPatternRe.FindStringSubmatch(m)
		quant, target := strings.ToLower(sub[1]), sub[2]
		var matched []string
		switch {
		case strings.EqualFold(target, "them"):
			for _, n := range names {
				if !strings.HasPrefix(n, "_") {
					matched = append(matched, n)
				}
			}
		case strings.Contains(target, "*"):
			for _, n := range names {
				if ok, _ := path.Match(target, n); ok {
					matched = append(matched, n)
				}
			}
		default:
			if quant == "1" || quant == "any" {
				return target // "1 of sel" is sel
			}
			return m // "all of sel": handled when compiling
		}
		if len(matched) == 0 {
			ferr = fmt.Errorf("condition %q: %q matches no search identifier", cond, target)
			return m
		}
		switch quant {
		case "1", "any":
			return "(" + strings.Join(matched, " or ") + ")"
		case "all":
			return "(" + strings.Join(matched, " and ") + ")"
		}
		n, _ := strconv.Atoi(quant)
		if n <= 0 || n > len(matched) {
			ferr = fmt.Errorf("condition %q: %d of %d search identifiers", cond, n, len(matched))
			return m
		}
		if n == 1 {
			return "(" + strings.Join(matched, " or ") + ")"
		}
		combos := combinations(matched, n, 64)
		if combos == nil {
			ferr = fmt.Errorf("condition %q: too many combinations for %q", cond, m)
			return m
		}
		parts := make([]string, len(combos))
		for i, c := range combos {
			parts[i] = "(" + strings.Join(c, " and ") + ")"
		}
		return "(" + strings.Join(parts, " or ") + ")"
	})
	return out, ferr
}

// combinations lists the k-subsets of s in order, or nil beyond max.
func combinations(s []string, k, max int) [][]string {
	var out [][]string
	cur := make([]string, 0, k)
	var rec func(start int) bool
	rec = func(start int) bool {
		if len(cur) == k {
			if len(out) >= max {
				return false
			}
			out = append(out, append([]string(nil), cur...))
			return true
		}
		for i := start; i < len(s); i++ {
			cur = append(cur, s[i])
			ok := rec(i + 1)
			cur = cur[:len(cur)-1]
			if !ok {
				return false
			}
		}
		return true
	}
	if !rec(0) {
		return nil
	}
	return out
}
