package scanner

import (
	"fmt"
	"sort"
	"strings"

	"exscan/scanner/finding"
)

// Capability scoring. Capability rules (meta trait and weight, mostly in
// rules/yara/view) each say one thing a page can do: read request input,
// start a process, load an assembly, write a file, open a socket, hide its
// code. Alone most of these are what ordinary applications do too, so a
// trait is never reported by itself: the traits of a file are added up
// (the highest weight per trait) and only the sum becomes a reason. A page
// that evaluates request text scores high from that one trait; a page
// that can only write files and read the request stays below medium.
const (
	capLow    = 3  // reported as low: worth a look in a triage, not an alert
	capMedium = 6  // two independent capabilities, or one strong one
	capHigh   = 10 // a webshell's working set
)

// breadthKinds are the trait groups that count towards breadth, and
// breadthBonus what three or more of them add.
var breadthKinds = map[string]bool{"exec": true, "file": true, "sql": true, "net": true, "recon": true, "privesc": true, "obf": true}

const breadthBonus = 2

// RuleCapability is the rule id of the combined capability reason.
const RuleCapability = "exscan.webshell.capability.score"

// capabilitySeverity maps a capability score to a severity.
func capabilitySeverity(score int) finding.Severity {
	switch {
	case score >= capHigh:
		return finding.High
	case score >= capMedium:
		return finding.Medium
	case score >= capLow:
		return finding.Low
	}
	return finding.Info
}

// trait is one matched capability rule.
type trait struct {
	reason finding.Reason
	name   string
	weight int
}

// combineTraits replaces the capability reasons in rs (those whose rule is
// in traits) with one reason for their sum, or with nothing when the sum
// is below capLow. The other reasons are kept as they are.
func combineTraits(rs []finding.Reason, traits map[string]trait) []finding.Reason {
	if len(traits) == 0 {
		return rs
	}
	out := rs[:0]
	for _, r := range rs {
		if _, ok := traits[r.Rule]; !ok {
			out = append(out, r)
		}
	}
	best := map[string]trait{}
	for _, t := range traits {
		if b, ok := best[t.name]; !ok || t.weight > b.weight || t.weight == b.weight && t.reason.Rule < b.reason.Rule {
			best[t.name] = t
		}
	}
	list := make([]trait, 0, len(best))
	score, context := 0, 0
	for _, t := range best {
		list = append(list, t)
		if t.weight == 1 {
			// Context traits (reads the request, writes some file) are
			// what most pages do: together they add at most 1.
			context = 1
			continue
		}
		score += t.weight
	}
	score += context
	// Breadth: webshell kits do many different things (run commands,
	// manage files, query databases, open connections); application
	// pages rarely combine three kinds of strong capability.
	kinds := map[string]bool{}
	for _, t := range best {
		if g, _, _ := strings.Cut(t.name, "."); t.weight >= 2 && breadthKinds[g] {
			kinds[g] = true
		}
	}
	if len(kinds) >= 3 {
		score += breadthBonus
		list = append(list, trait{name: "kit.breadth", weight: breadthBonus, reason: finding.Reason{Rule: RuleCapability, Title: fmt.Sprintf("%d kinds of capability in one page", len(kinds))}})
	}
	sev := capabilitySeverity(score)
	if sev == finding.Info {
		return out
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].weight != list[j].weight {
			return list[i].weight > list[j].weight
		}
		return list[i].name < list[j].name
	})
	r := finding.Reason{
		Rule:       RuleCapability,
		Severity:   sev,
		Source:     finding.SourceYARA,
		Author:     "exscan",
		Campaigns:  []string{"webshell-generic"},
		References: []string{"https://attack.mitre.org/techniques/T1505/003/"},
	}
	var names []string
	attack := map[string]bool{"T1505.003": true}
	for _, t := range list {
		names = append(names, fmt.Sprintf("%s (+%d)", t.name, t.weight))
		// "+weight rule-id: matched text" (make eval reads the rule id to
		// leave a rule out for leave-one-source-out numbers).
		ev := finding.Evidence{Name: "trait:" + t.name, Value: fmt.Sprintf("%+d %s", t.weight, t.reason.Rule)}
		if len(t.reason.Evidence) > 0 {
			ev.Value += ": " + t.reason.Evidence[0].Value
			ev.Offset = t.reason.Evidence[0].Offset
		}
		r.Evidence = append(r.Evidence, ev)
		for _, a := range t.reason.Attack {
			attack[a] = true
		}
	}
	for a := range attack {
		r.Attack = append(r.Attack, a)
	}
	sort.Strings(r.Attack)
	r.Title = fmt.Sprintf("Server page whose capabilities add up to a webshell's (score %d: %s)", score, strings.Join(names, ", "))
	r.Description = fmt.Sprintf("What the page can do, each scored by how rarely ordinary applications do it: %s. Score %d; %d or more is medium, %d or more high.", strings.Join(names, " + "), score, capMedium, capHigh)
	if score < capMedium {
		r.Title = fmt.Sprintf("Server page with some webshell capabilities (score %d: %s)", score, strings.Join(names, ", "))
	}
	return append(out, r)
}
