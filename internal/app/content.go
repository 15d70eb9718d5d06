package app

import (
	"errors"
	"fmt"
	"os"

	"github.com/rs/zerolog"

	"exscan/internal/loaderr"
	"exscan/iocs"
	"exscan/rules"
)

// Content is what the checks run with: YARA rules, Sigma rules and
// indicator lists, built-in and the user's, loaded once per run and shared
// by every phase.
type Content struct {
	YARA  *rules.YARASet // nil when not loaded (logs needs no YARA)
	Sigma *rules.SigmaSet
	IOCs  *iocs.Set
	// Problems are the user rules and indicators skipped, one line each,
	// for the summary's warnings.
	Problems []string
	// Errors are every load error, in load order: YARA, Sigma, indicators.
	Errors []error
}

// ContentOptions say which content to load.
type ContentOptions struct {
	YARA, Sigma, IOCs []string // the user's rule folders and indicator files
	NoBuiltin         bool     // only the user's content
	Strict            bool     // an error in a user file fails the load (loaderr.Strict)
	NoYARA, NoSigma   bool     // the run has no file (log) checks
	// Lenient loads what loads and keeps every error, failing on none
	// (rules list and check report them all).
	Lenient bool
}

// LoadContent loads the built-in and user rules and indicator lists.
// Errors in user files are logged and skipped, or, with Strict, all
// logged and then fatal.
func LoadContent(o ContentOptions, log zerolog.Logger) (*Content, error) {
	c := &Content{IOCs: iocs.NewSet()}
	if !o.Lenient {
		// A path the user named that is not there is a mistake to fix,
		// not something to skip: the scan would run without the user's
		// rules.
		for _, group := range []struct {
			flag  string
			paths []string
		}{{"--rules", o.YARA}, {"--sigma", o.Sigma}, {"--iocs", o.IOCs}} {
			for _, p := range group.paths {
				if _, err := os.Stat(p); err != nil {
					return nil, fmt.Errorf("%s %s: %v", group.flag, p, errors.Unwrap(err))
				}
			}
		}
	}
	problem := func(err error, msg string) {
		c.Errors = append(c.Errors, err)
		log.Warn().Msg(msg)
		c.Problems = append(c.Problems, msg)
	}
	if !o.NoYARA {
		var errs []error
		c.YARA, errs = rules.LoadYARA(!o.NoBuiltin, o.YARA)
		for _, e := range errs {
			problem(e, fmt.Sprintf("YARA rule file skipped: %v", e))
		}
		if c.YARA == nil && !o.Lenient {
			return nil, fmt.Errorf("YARA rules could not be loaded (%d error(s) above)", len(errs))
		}
	}
	if !o.NoSigma {
		var errs []error
		c.Sigma, errs = rules.LoadSigma(!o.NoBuiltin, o.Sigma)
		for _, e := range errs {
			problem(e, fmt.Sprintf("Sigma rule skipped: %v", e))
		}
	}
	if !o.NoBuiltin {
		b, err := iocs.Builtin()
		if err != nil && !o.Lenient {
			return nil, fmt.Errorf("built-in indicator lists: %v", err)
		}
		if err != nil {
			c.Errors = append(c.Errors, err)
		} else {
			c.IOCs.Merge(b)
		}
	}
	for _, f := range o.IOCs {
		n, errs := c.IOCs.LoadFile(f)
		for _, e := range errs {
			msg := fmt.Sprintf("indicator list %s: %v", f, e)
			if e.Line > 0 {
				msg = fmt.Sprintf("indicator skipped: %v", e)
			}
			problem(e, msg)
		}
		log.Debug().Msgf("%s: %d indicator(s) loaded", f, n)
	}
	if o.Strict {
		if err := loaderr.Strict(c.Errors); err != nil {
			return nil, err
		}
	}
	return c, nil
}
