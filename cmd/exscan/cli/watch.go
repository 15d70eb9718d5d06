package cli

import (
	"context"
	"io"
	"time"

	"github.com/spf13/pflag"

	"exscan/internal/app"
)

const watchSynopsis = `exscan watch [--root DIR] [PATH...] [flags]

Follow live IIS and Exchange logs and the Exchange web folders, and report
each new hit once, as soon as it is seen.

With --root (default on Windows: the system drive), exscan finds the log
folders (IIS LogFiles, HTTPERR, Exchange Logging) and the web folders
(FrontEnd\HttpProxy with owa\auth and ecp\auth, ClientAccess, inetpub\wwwroot
with aspnet_client, Windows\Temp, ProgramData). A PATH is a folder: each file
in it that is named and shaped like a log (.log, .txt, .csv, .gz) is followed
as a log, every other file gets the file checks.

Logs are followed line by line, through rotation, truncation and replacement.
Web files are checked once they stop changing. Files that exist at the first
start are the baseline: logs are followed from their end, web files are not
scanned (run 'exscan scan' for those), unless --from-start.

--state FILE keeps the offsets and the hits already reported (and FILE.files
the web files checked): after a restart, or a crash, nothing is missed and
nothing is reported twice. --output FILE is appended to, never truncated;
JSON Lines (--format jsonl) is the format for a SIEM to tail.

Stop with Ctrl-C or SIGTERM: exscan finishes the file at hand, writes the
output, saves the state and exits 0, or 1 if this run reported a finding at or
above --fail-on. Exit 2: bad usage, an unreadable state file, or the output
could not be written.`

func runWatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const cmd = "watch"
	var o options
	fs := newFlagSet(cmd)
	fs.StringVar(&o.state, "state", "", "keep offsets and reported hits in `FILE` (and FILE.files) to resume after a restart or crash without repeats")
	fs.BoolVar(&o.fromStart, "from-start", false, "at the first start, read existing logs whole and check existing web files (default: only what is new)")
	o.common(fs)
	o.hostFlags(fs)
	var w app.WatchOptions
	fs.DurationVar(&w.Poll, "poll-interval", time.Second, "how often followed log files are looked at for appended lines (file events are not relied on)")
	fs.BoolVar(&w.PollOnly, "poll-only", false, "use no file system events (for network shares, which send none): list folders every 10s and poll sizes")
	fs.DurationVar(&w.Heartbeat, "heartbeat", time.Minute, "log a status line (files followed, lines read, hits) this often; 0 for none")
	fs.DurationVar(&w.Debounce, "debounce", time.Second, "check a new or changed web file once it stayed unchanged this long")
	_ = fs.MarkHidden("debounce")
	hideForWatch(fs)
	if ok, code := parse(fs, watchSynopsis, args, stdout, stderr); !ok {
		return code
	}
	if err := o.validate(); err != nil {
		return usageErr(stderr, cmd, "%v", err)
	}
	switch {
	case o.collect != "":
		return usageErr(stderr, cmd, "--collect is for scan, files and logs; to keep evidence of a watch hit, run 'exscan files --collect' on it")
	case o.followLinks:
		return usageErr(stderr, cmd, "--follow-links is not available in watch: links are not followed")
	case w.Poll < 10*time.Millisecond:
		return usageErr(stderr, cmd, "--poll-interval: must be at least 10ms")
	case w.Debounce < 0:
		return usageErr(stderr, cmd, "--debounce: must not be negative")
	}
	paths := fs.Args()
	if o.root == "" && len(paths) == 0 {
		r, err := defaultRoot()
		if err != nil {
			return usageErr(stderr, cmd, "give --root DIR (the folder that holds the host's C: drive) or the folders to watch")
		}
		o.root = r
	}
	ao := o.app(cmd, args, paths, stdout, newLogger(stderr, &o))
	w.State, w.FromStart = o.state, o.fromStart
	ao.Watch = w
	res, err := app.Watch(ctx, ao)
	if err != nil {
		return usageErr(stderr, cmd, "%v", err)
	}
	return res.Code
}

// hideForWatch hides the common flags that mean nothing in watch mode.
func hideForWatch(fs *pflag.FlagSet) {
	for _, n := range []string{"threads", "collect", "follow-links"} {
		_ = fs.MarkHidden(n)
	}
}
