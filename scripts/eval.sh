#!/usr/bin/env bash
# Measures exscan's webshell file detection on the shared research corpus.
#
#   scripts/eval.sh                      # exscan only
#   SIGBASE=/path/to/signature-base scripts/eval.sh   # plus signature-base, side by side
#
# The corpus is ../shared/corpus/webshells next to the repository (override
# with CORPUS=DIR): positive/ holds real public webshells and negative/ benign
# ASP.NET files, each with a manifest.csv (file, ..., kind, family).
#
# exscan: `exscan files DIR --format jsonl`; a file counts as detected when it
# has a finding at medium or above.
# signature-base: every yara/*.yar and *.yara (and vendor/yara/*.yar) compiled
# once with yarac, then each file scanned with the yara CLI with Loki v1's
# external variables (filename, filepath = directory, extension = lower case
# with the dot, filetype from misc/file-type-signatures.txt, md5, owner =
# "dummy"); a file counts as detected when any rule matches (Loki scores every
# YARA hit 70 or more, i.e. at least a WARNING).
#
# Needs bash, go, python3 and, with SIGBASE, yara and yarac (YARA 4.x).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${CORPUS:-$repo/../shared/corpus/webshells}
if [[ ! -f $corpus/positive/manifest.csv || ! -f $corpus/negative/manifest.csv ]]; then
	echo "eval: no webshell corpus at $corpus (positive/ and negative/ with manifest.csv); nothing to evaluate" >&2
	exit 0
fi
corpus=$(cd "$corpus" && pwd)
command -v python3 >/dev/null || { echo "eval: python3 is required" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building exscan ..." >&2
(cd "$repo" && go build -o "$work/exscan" ./cmd/exscan)

run_exscan() { # $1 = positive|negative
	local rc=0
	"$work/exscan" files "$corpus/$1" --format jsonl --quiet >"$work/exscan-$1.jsonl" 2>"$work/exscan-$1.err" || rc=$?
	# 0: nothing at or above --fail-on; 1: findings. Anything else is a failure.
	if ((rc > 1)); then
		echo "eval: exscan files $corpus/$1 failed (exit $rc):" >&2
		cat "$work/exscan-$1.err" >&2
		exit 2
	fi
}
echo "scanning the corpus with exscan ..." >&2
run_exscan positive
run_exscan negative

if [[ -n ${SIGBASE:-} ]]; then
	command -v yara >/dev/null && command -v yarac >/dev/null || { echo "eval: SIGBASE needs the yara and yarac CLIs" >&2; exit 2; }
	[[ -d $SIGBASE/yara ]] || { echo "eval: $SIGBASE/yara not found" >&2; exit 2; }
	shopt -s nullglob
	sb_rules=("$SIGBASE"/yara/*.yar "$SIGBASE"/yara/*.yara "$SIGBASE"/vendor/yara/*.yar)
	shopt -u nullglob
	ext=(-d filename= -d filepath= -d extension= -d filetype= -d owner= -d md5=)
	echo "compiling ${#sb_rules[@]} signature-base rule files ..." >&2
	yarac -w "${ext[@]}" "${sb_rules[@]}" "$work/sigbase.yarc" >/dev/null
	echo "scanning the corpus with signature-base (one yara run per file, Loki externals) ..." >&2
	for side in positive negative; do
		# One line per file: NUL-free "path<TAB>filename<TAB>dir<TAB>ext<TAB>filetype<TAB>md5".
		python3 - "$corpus/$side" "$SIGBASE/misc/file-type-signatures.txt" >"$work/sb-$side.jobs" <<'PY'
import hashlib, os, sys
root, sigfile = sys.argv[1], sys.argv[2]
sigs = {}
if os.path.exists(sigfile):
    for line in open(sigfile, encoding="utf-8", errors="replace"):
        line = line.strip()
        if not line or line.startswith("#") or ";" not in line:
            continue
        hexpart, name = line.split(";", 1)
        try:
            sigs[bytes.fromhex(hexpart.replace(" ", ""))] = name
        except ValueError:
            pass
longest = max((len(k) for k in sigs), default=0)
def ascii(s):
    return "".join(c if ord(c) < 128 else "?" for c in s)
for d, _, files in os.walk(root):
    for f in sorted(files):
        if f == "manifest.csv":
            continue
        p = os.path.join(d, f)
        data = open(p, "rb").read()
        ftype = "UNKNOWN"
        for n in range(min(longest, len(data)), 0, -1):
            if data[:n] in sigs:
                ftype = sigs[data[:n]]
                break
        e = os.path.splitext(f)[1].lower()
        fields = [p, ascii(f), ascii(d), e, ftype, hashlib.md5(data).hexdigest()]
        if any("\t" in x or "\n" in x for x in fields):
            continue
        print("\t".join(fields))
PY
		export work
		# shellcheck disable=SC2016
		tr '\n' '\0' <"$work/sb-$side.jobs" | xargs -0 -P "$(nproc 2>/dev/null || echo 2)" -n 1 bash -c '
			IFS=$'"'"'\t'"'"' read -r p fn dir e ft md5 <<<"$1"
			yara -w -C -d filename="$fn" -d filepath="$dir" -d extension="$e" -d filetype="$ft" -d owner=dummy -d md5="$md5" "$work/sigbase.yarc" "$p" 2>/dev/null | while read -r rule _; do printf "%s\t%s\n" "$p" "$rule"; done
		' _ >"$work/sb-$side.hits"
	done
fi

python3 - "$corpus" "$work" "${SIGBASE:+1}" <<'PY'
import collections, csv, json, os, sys

corpus, work, with_sb = sys.argv[1], sys.argv[2], bool(sys.argv[3])
LEVEL = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

def manifest(side):
    with open(os.path.join(corpus, side, "manifest.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

def rel(side, path):
    return os.path.relpath(os.path.realpath(path), os.path.realpath(os.path.join(corpus, side))).replace(os.sep, "/")

def exscan(side):
    hits, summary = collections.defaultdict(list), {}
    with open(os.path.join(work, "exscan-%s.jsonl" % side), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            o = json.loads(line)
            if o.get("type") == "summary":
                summary = o
            elif o.get("type") == "finding" and LEVEL.get(o.get("severity"), -1) >= LEVEL["medium"] and o.get("path"):
                hits[rel(side, o["path"])].append(o.get("rule", "?"))
    return hits, summary

def sigbase(side):
    hits = collections.defaultdict(list)
    if not with_sb:
        return hits
    with open(os.path.join(work, "sb-%s.hits" % side), encoding="utf-8", errors="replace") as f:
        for line in f:
            p, _, rule = line.rstrip("\n").partition("\t")
            if rule:
                hits[rel(side, p)].append(rule)
    return hits

pos, neg = manifest("positive"), manifest("negative")
ex_pos, ex_pos_sum = exscan("positive")
ex_neg, ex_neg_sum = exscan("negative")
sb_pos, sb_neg = sigbase("positive"), sigbase("negative")

def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "   - "

fam = collections.OrderedDict()
for row in sorted(pos, key=lambda r: (r["kind"], r["family"])):
    fam.setdefault((row["kind"], row["family"]), []).append(row["file"])

w = max(len("%s / %s" % k) for k in fam) + 2
head = "%-*s %6s %14s" % (w, "family", "files", "exscan")
if with_sb:
    head += " %14s" % "sigbase"
print(head)
print("-" * len(head))
kinds = collections.OrderedDict()
for (kind, family), files in fam.items():
    e = sum(1 for f in files if ex_pos.get(f))
    s = sum(1 for f in files if sb_pos.get(f))
    k = kinds.setdefault(kind, [0, 0, 0])
    k[0] += len(files); k[1] += e; k[2] += s
    line = "%-*s %6d %14d" % (w, "%s / %s" % (kind, family), len(files), e)
    if with_sb:
        line += " %14d" % s
    print(line)
print("-" * len(head))
tot = [0, 0, 0]
for kind, (n, e, s) in kinds.items():
    tot[0] += n; tot[1] += e; tot[2] += s
    line = "%-*s %6d %14s" % (w, "TOTAL " + kind, n, "%d %s" % (e, pct(e, n)))
    if with_sb:
        line += " %14s" % ("%d %s" % (s, pct(s, n)))
    print(line)
line = "%-*s %6d %14s" % (w, "TOTAL positives", tot[0], "%d %s" % (tot[1], pct(tot[1], tot[0])))
if with_sb:
    line += " %14s" % ("%d %s" % (tot[2], pct(tot[2], tot[0])))
print(line)
efp = [r["file"] for r in neg if ex_neg.get(r["file"])]
sfp = [r["file"] for r in neg if sb_neg.get(r["file"])]
line = "%-*s %6d %14s" % (w, "false positives (negatives)", len(neg), "%d %s" % (len(efp), pct(len(efp), len(neg))))
if with_sb:
    line += " %14s" % ("%d %s" % (len(sfp), pct(len(sfp), len(neg))))
print(line)

def listing(title, items):
    print("\n%s (%d):" % (title, len(items)))
    for it in items:
        print("  " + it)

listing("exscan misses", ["[%s / %s] %s" % (r["kind"], r["family"], r["file"]) for r in pos if not ex_pos.get(r["file"])])
listing("exscan false positives", ["%s: %s" % (f, ", ".join(sorted(set(ex_neg[f])))) for f in efp])
if with_sb:
    listing("signature-base misses", ["[%s / %s] %s" % (r["kind"], r["family"], r["file"]) for r in pos if not sb_pos.get(r["file"])])
    listing("signature-base false positives", ["%s: %s" % (f, ", ".join(sorted(set(sb_neg[f])))) for f in sfp])

for side, s in (("positive", ex_pos_sum), ("negative", ex_neg_sum)):
    if s:
        skipped = s.get("skipped") or {}
        print("\nexscan %s: %s files seen, %s scanned, skipped %s, %.1f s" % (
            side, s.get("files_seen"), s.get("files_scanned"),
            json.dumps(skipped, sort_keys=True) if skipped else "none", s.get("duration_seconds", 0)))
PY
