#!/usr/bin/env bash
# Detection on the EVTX corpus: runs `exscan logs CORPUS --format jsonl`
# and counts the files of each manifest label (attack | benign | damaged) by
# the highest severity found in them; with -v, lists every file with its
# rules.
#
#   bash scripts/eval-evtx.sh [-v] [CORPUS]   (default ../shared/corpus/evtx)
#   BENCH_BIN=path/to/exscan to measure another build
set -euo pipefail
cd "$(dirname "$0")/.."
verbose=""
if [ "${1:-}" = "-v" ]; then
	verbose=1
	shift
fi
corpus=${1:-../shared/corpus/evtx}
BIN=${BENCH_BIN:-bin/exscan}
if [ ! -f "$corpus/manifest.csv" ]; then
	echo "eval-evtx: no EVTX corpus manifest at $corpus/manifest.csv" >&2
	exit 1
fi
[ -x "$BIN" ] || make build
out=$(mktemp "${TMPDIR:-/tmp}/exscan-eval-evtx.XXXXXX")
trap 'rm -f "$out"' EXIT
"$BIN" logs "$corpus" --format jsonl --fail-on critical -q >"$out"
python3 - "$corpus" "$out" "$verbose" <<'PY'
import collections, csv, json, os, sys
corpus, findings, verbose = sys.argv[1], sys.argv[2], sys.argv[3]
labels = {r["file"]: r["label"] for r in csv.DictReader(open(os.path.join(corpus, "manifest.csv")))}
order = ["info", "low", "medium", "high", "critical"]
best, rules = {}, collections.defaultdict(set)
for line in open(findings):
    d = json.loads(line)
    if d.get("type") != "finding":
        continue
    rel = os.path.relpath(d["path"], corpus)
    if rel not in best or order.index(d["severity"]) > order.index(best[rel]):
        best[rel] = d["severity"]
    rules[rel].update(r["rule"] for r in d["reasons"])
print("%-8s %6s %9s %5s %7s %4s %5s %5s" % ("label", "files", "critical", "high", "medium", "low", "info", "none"))
for lab in ("attack", "benign", "damaged"):
    files = [f for f in labels if labels[f] == lab]
    c = collections.Counter(best.get(f, "none") for f in files)
    print("%-8s %6d %9d %5d %7d %4d %5d %5d" % (lab, len(files), c["critical"], c["high"], c["medium"], c["low"], c["info"], c["none"]))
if verbose:
    for f in sorted(labels):
        print("%s\t%s\t%s\t%s" % (labels[f], best.get(f, "none"), f, " ".join(sorted(rules.get(f, ())))))
PY
