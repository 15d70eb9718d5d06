package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/rs/zerolog"

	"exscan/internal/app"
	"exscan/iocs"
	"exscan/rules"
)

const rulesSynopsis = `exscan rules list|check [--rules DIR] [--sigma DIR] [--iocs FILE] [--no-builtin] [--format text|jsonl]

list   the built-in and user YARA rules, Sigma rules and indicator counts
check  compile and load everything; report each error with file:line; exit 2 on any error`

func runRules(args []string, stdout, stderr io.Writer) int {
	var o options
	fs := newFlagSet("rules")
	fs.StringArrayVar(&o.rules, "rules", nil, "more YARA rules: a `DIR` or file; repeatable")
	fs.StringArrayVar(&o.sigma, "sigma", nil, "more Sigma rules: a `DIR`; repeatable")
	fs.StringArrayVar(&o.iocs, "iocs", nil, "more indicator lists: a `FILE`; repeatable")
	fs.BoolVar(&o.noBuiltin, "no-builtin", false, "leave out the built-in rules and indicators")
	fs.StringVar(&o.format, "format", "text", "text or jsonl")
	if ok, code := parse(fs, rulesSynopsis, args, stdout, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "list" && fs.Arg(0) != "check") {
		return usageErr(stderr, "rules", "say 'list' or 'check' (see 'exscan rules --help')")
	}
	if o.format != "text" && o.format != "jsonl" {
		return usageErr(stderr, "rules", "--format: %q (rules takes text or jsonl)", o.format)
	}
	c, err := app.LoadContent(app.ContentOptions{YARA: o.rules, Sigma: o.sigma, IOCs: o.iocs, NoBuiltin: o.noBuiltin, Lenient: true}, zerolog.Nop())
	if err != nil {
		return usageErr(stderr, "rules", "%v", err)
	}
	ys, ss, set, all := c.YARA, c.Sigma, c.IOCs, c.Errors
	for _, e := range all {
		fmt.Fprintf(stderr, "error: %v\n", e)
	}
	if fs.Arg(0) == "check" {
		fmt.Fprintf(stdout, "YARA: %d rule(s) from %d file(s); Sigma: %d rule(s); indicators: %d; errors: %d\n", ys.Len(), filesOf(ys), ss.Len(), set.Len(), len(all))
		if len(all) > 0 {
			return ExitError
		}
		return ExitClean
	}
	if o.format == "jsonl" {
		enc := json.NewEncoder(stdout)
		if ys != nil {
			for _, r := range ys.Infos {
				enc.Encode(map[string]any{"type": "yara", "rule": r})
			}
		}
		if ss != nil {
			for _, r := range ss.Rules() {
				enc.Encode(map[string]any{"type": "sigma", "rule": r})
			}
		}
		enc.Encode(map[string]any{"type": "iocs", "counts": set.Counts()})
		return ExitClean
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "YARA RULES (%d)\nID\tSEVERITY\tCAMPAIGNS\tFILE\tDESCRIPTION\n", ys.Len())
	if ys != nil {
		infos := append([]*rules.YARARule(nil), ys.Infos...)
		sort.Slice(infos, func(i, j int) bool { return infos[i].ID < infos[j].ID })
		for _, r := range infos {
			fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", r.ID, r.Severity, r.Campaigns, r.File, r.Description)
		}
	}
	fmt.Fprintf(tw, "\nSIGMA RULES (%d)\nID\tLEVEL\tTITLE\tFILE\n", ss.Len())
	if ss != nil {
		for _, r := range ss.Rules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Level, r.Title, r.File)
		}
	}
	fmt.Fprintf(tw, "\nINDICATORS (%d)\n", set.Len())
	counts := set.Counts()
	var kinds []string
	for k := range counts {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(tw, "%s\t%d\n", k, counts[iocs.Kind(k)])
	}
	tw.Flush()
	if len(all) > 0 {
		return ExitError
	}
	return ExitClean
}

func filesOf(ys *rules.YARASet) int {
	if ys == nil {
		return 0
	}
	return ys.Files
}
