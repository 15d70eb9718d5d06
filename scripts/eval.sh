#!/usr/bin/env bash
# Measures exscan's webshell file detection on the shared research corpus.
#
#   scripts/eval.sh                      # exscan only
#   SIGBASE=/path/to/signature-base scripts/eval.sh   # plus signature-base and the union, side by side
#
# The corpus is ../shared/corpus/webshells next to the repository (override
# with CORPUS=DIR): positive/ and positive-extra/ hold real webshells,
# negative/ and negative-extra/ benign files, each with a manifest.csv
# (file, repo, ..., kind, family). The -extra sets are optional.
#
# exscan: `exscan files DIR --format jsonl`; a file counts as detected when it
# has a finding at medium or above. SEO-spam implants (family "SEO ...") are
# reported on their own lines (at medium+ and at low+) and left out of the
# detection rate; on the benign sets, a line counts the files any SEO-spam
# rule matches at all.
#
# Leave-one-source-out: for each source (the <owner>__<repo> folder of a
# positive set), detection on its files counting only the rules that were
# not written from that source (rules/yara/provenance.tsv): the reasons of
# the other rules are dropped, the capability score is summed again without
# the dropped traits (the weights and thresholds of scanner/capability.go),
# and hash indicators are dropped everywhere (they only ever match the
# samples they were taken from).
#
# signature-base: every yara/*.yar and *.yara (and vendor/yara/*.yar) compiled
# once with yarac, then each file scanned with the yara CLI with Loki v1's
# external variables (filename, filepath = directory, extension = lower case
# with the dot, filetype from misc/file-type-signatures.txt, md5, owner =
# "dummy"); a file counts as detected when any rule matches (Loki scores every
# YARA hit 70 or more, i.e. at least a WARNING). The union column is exscan
# run with `--rules $SIGBASE/yara` (built-in and user rules together, what
# users get), at medium or above.
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

sets=(positive negative)
for s in positive-extra negative-extra; do
	if [[ -f $corpus/$s/manifest.csv ]]; then
		sets+=("$s")
	else
		echo "eval: $corpus/$s/manifest.csv not found; $s left out" >&2
	fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building exscan ..." >&2
(cd "$repo" && go build -o "$work/exscan" ./cmd/exscan)

run_exscan() { # $1 = set, $2 = output tag, rest = extra flags
	local set=$1 tag=$2 rc=0
	shift 2
	# --inline-context: the full record shape, whose reasons keep all their
	# evidence (the capability traits leave-one-source-out reads); the
	# default shape cuts lines to a SIEM's event limit.
	"$work/exscan" files "$corpus/$set" --format jsonl --inline-context --quiet "$@" >"$work/$tag-$set.jsonl" 2>"$work/$tag-$set.err" || rc=$?
	# 0: nothing at or above --fail-on; 1: findings. Anything else is a failure.
	if ((rc > 1)); then
		echo "eval: exscan files $corpus/$set failed (exit $rc):" >&2
		cat "$work/$tag-$set.err" >&2
		exit 2
	fi
}
echo "scanning the corpus with exscan (${sets[*]}) ..." >&2
for s in "${sets[@]}"; do
	run_exscan "$s" exscan
done

if [[ -n ${SIGBASE:-} ]]; then
	command -v yara >/dev/null && command -v yarac >/dev/null || { echo "eval: SIGBASE needs the yara and yarac CLIs" >&2; exit 2; }
	[[ -d $SIGBASE/yara ]] || { echo "eval: $SIGBASE/yara not found" >&2; exit 2; }
	echo "scanning the corpus with exscan --rules $SIGBASE/yara (the union) ..." >&2
	for s in "${sets[@]}"; do
		run_exscan "$s" union --rules "$SIGBASE/yara"
	done
	shopt -s nullglob
	sb_rules=("$SIGBASE"/yara/*.yar "$SIGBASE"/yara/*.yara "$SIGBASE"/vendor/yara/*.yar)
	shopt -u nullglob
	ext=(-d filename= -d filepath= -d extension= -d filetype= -d owner= -d md5=)
	echo "compiling ${#sb_rules[@]} signature-base rule files ..." >&2
	yarac -w "${ext[@]}" "${sb_rules[@]}" "$work/sigbase.yarc" >/dev/null
	echo "scanning the corpus with signature-base (one yara run per file, Loki externals) ..." >&2
	for side in "${sets[@]}"; do
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
        if f in ("manifest.csv", "SOURCES.md"):
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

python3 - "$corpus" "$work" "${SIGBASE:+1}" "$repo" "${sets[@]}" <<'PY'
import collections, csv, json, os, re, sys

corpus, work, with_sb, repo = sys.argv[1], sys.argv[2], bool(sys.argv[3]), sys.argv[4]
sets = sys.argv[5:]
LEVEL = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

# The capability score's weights and thresholds, from scanner/capability.go.
capsrc = open(os.path.join(repo, "scanner", "capability.go"), encoding="utf-8").read()
def const(name):
    m = re.search(r"\b%s\s*=\s*(\d+)" % name, capsrc)
    if not m:
        sys.exit("eval: %s not found in scanner/capability.go" % name)
    return int(m.group(1))
CAP_LOW, CAP_MED, CAP_HIGH = const("capLow"), const("capMedium"), const("capHigh")
CAP_RULE = re.search(r'RuleCapability\s*=\s*"([^"]+)"', capsrc).group(1)

prov = {}
for line in open(os.path.join(repo, "rules", "yara", "provenance.tsv"), encoding="utf-8"):
    if not line.strip() or line.startswith("#"):
        continue
    rule, _, srcs = line.rstrip("\n").partition("\t")
    prov[rule] = set() if srcs.strip() == "-" else set(s for s in srcs.split(",") if s)

def manifest(side):
    with open(os.path.join(corpus, side, "manifest.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

def rel(side, path):
    return os.path.relpath(os.path.realpath(path), os.path.realpath(os.path.join(corpus, side))).replace(os.sep, "/")

def findings(tag, side):
    """file -> (severity level, [reasons]) for every finding."""
    out, summary = {}, {}
    path = os.path.join(work, "%s-%s.jsonl" % (tag, side))
    if not os.path.exists(path):
        return None, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            o = json.loads(line)
            if o.get("type") == "summary":
                summary = o
            elif o.get("type") == "finding" and o.get("path"):
                out[rel(side, o["path"])] = (LEVEL.get(o.get("severity"), -1), o.get("reasons") or [])
    return out, summary

def detected(f, rows, level="medium"):
    return {r["file"] for r in rows if f.get(r["file"], (-1,))[0] >= LEVEL[level]}

# The SEO-spam rules (rules/yara/view/seo_spam.yar, traits seo.*), whose
# hits on the benign sets are counted on their own line.
def seo_hit(reason):
    return reason.get("rule", "").startswith("exscan.webshell.seo_spam.") or any(
        e.get("name", "").startswith("trait:seo.") for e in reason.get("evidence") or [])

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

def cap_level(score):
    if score >= CAP_HIGH:
        return LEVEL["high"]
    if score >= CAP_MED:
        return LEVEL["medium"]
    if score >= CAP_LOW:
        return LEVEL["low"]
    return LEVEL["info"]

def loso_level(reasons, source):
    """The file's severity from the rules not written from source (no
    location or corroboration bonus: the corpus paths are not Exchange
    folders)."""
    best = -1
    for r in reasons:
        rule = r.get("rule", "")
        if rule == "exscan.ioc.hash":
            continue
        if rule == CAP_RULE:
            score, ctx = 0, 0
            for e in r.get("evidence") or []:
                if not e.get("name", "").startswith("trait:"):
                    continue
                m = re.match(r"([+-]\d+) (\S+?):?( |$)", e.get("value", ""))
                if not m:
                    continue
                w, rid = int(m.group(1)), m.group(2)
                if source in prov.get(rid, set()):
                    continue
                if w == 1:
                    ctx = 1
                else:
                    score += w
            best = max(best, cap_level(score + ctx))
            continue
        if source in prov.get(rule, set()):
            continue
        best = max(best, LEVEL.get(r.get("severity"), -1))
    return best

def pct(a, b):
    return "%5.1f%%" % (100.0 * a / b) if b else "   - "

def seo(row):
    return row.get("family", "").startswith("SEO")

data = {}
for s in sets:
    ex, summ = findings("exscan", s)
    un, _ = findings("union", s)
    data[s] = dict(rows=manifest(s), ex=ex, summary=summ, un=un, sb=sigbase(s))

def cols(n, e, sb=None, un=None):
    line = "%6d %14s" % (n, "%d %s" % (e, pct(e, n)))
    if with_sb:
        line += " %14s %14s" % ("%d %s" % (sb, pct(sb, n)), "%d %s" % (un, pct(un, n)))
    return line

head = "%-52s %6s %14s" % ("set", "files", "exscan")
if with_sb:
    head += " %14s %14s" % ("sigbase", "union")
print(head)
print("-" * len(head))
for s in sets:
    d = data[s]
    rows = d["rows"]
    ex = detected(d["ex"], rows)
    un = detected(d["un"], rows) if d["un"] is not None else set()
    sb = {r["file"] for r in rows if d["sb"].get(r["file"])}
    if s.startswith("positive"):
        main = [r for r in rows if not seo(r)]
        for kind in sorted({r["kind"] for r in main}):
            k = [r for r in main if r["kind"] == kind]
            f = {r["file"] for r in k}
            print("%-52s %s" % ("%s / %s: detected" % (s, kind), cols(len(k), len(f & ex), len(f & sb), len(f & un))))
        f = {r["file"] for r in main}
        print("%-52s %s" % ("%s: detected (SEO-spam left out)" % s, cols(len(main), len(f & ex), len(f & sb), len(f & un))))
        spam = {r["file"] for r in rows if seo(r)}
        if spam:
            print("%-52s %s" % ("%s: SEO-spam implants at medium+" % s, cols(len(spam), len(spam & ex), len(spam & sb), len(spam & un))))
            low = detected(d["ex"], rows, "low")
            print("%-52s %s" % ("%s: SEO-spam implants at low+" % s, cols(len(spam), len(spam & low), len(spam & sb), len(spam & detected(d["un"] or {}, rows, "low")))))
    else:
        f = {r["file"] for r in rows}
        print("%-52s %s" % ("%s: false positives" % s, cols(len(rows), len(f & ex), len(f & sb), len(f & un))))
        hits = {r["file"] for r in rows if any(seo_hit(x) for x in d["ex"].get(r["file"], (-1, []))[1])}
        print("%-52s %6d %14s" % ("%s: SEO-spam rules at low+" % s, len(rows), "%d %s" % (len(hits), pct(len(hits), len(rows)))))

# Families, per positive set.
for s in sets:
    if not s.startswith("positive"):
        continue
    d = data[s]
    ex = detected(d["ex"], d["rows"])
    fam = collections.OrderedDict()
    for row in sorted(d["rows"], key=lambda r: (r["kind"], r["family"])):
        fam.setdefault((row["kind"], row["family"]), []).append(row["file"])
    print("\n%s by family:" % s)
    for (kind, family), files in fam.items():
        print("  %-70s %3d/%-3d" % ("%s / %s" % (kind, family)[:70], sum(1 for f in files if f in ex), len(files)))

# Leave-one-source-out.
print("\nleave-one-source-out (rules written from a source left out on it; SEO-spam left out):")
print("  %-52s %6s %8s %14s" % ("source", "files", "exscan", "left out"))
weak = []
for s in sets:
    if not s.startswith("positive"):
        continue
    d = data[s]
    by = collections.OrderedDict()
    for r in d["rows"]:
        if not seo(r):
            by.setdefault(r["file"].split("/")[0], []).append(r["file"])
    for src, files in sorted(by.items()):
        full = sum(1 for f in files if d["ex"].get(f, (-1,))[0] >= LEVEL["medium"])
        lo = sum(1 for f in files if loso_level(d["ex"].get(f, (-1, []))[1], src) >= LEVEL["medium"])
        mark = ""
        if len(files) >= 10 and 100.0 * lo / len(files) < 93:
            mark = "  < 93%"
            weak.append(src)
        print("  %-52s %6d %8s %14s%s" % ((s + ":" + src)[:52], len(files), pct(full, len(files)), "%d %s" % (lo, pct(lo, len(files))), mark))
if weak:
    print("  sources of 10+ files under 93%% left out: %s" % ", ".join(weak))

def listing(title, items):
    print("\n%s (%d):" % (title, len(items)))
    for it in items:
        print("  " + it)

for s in sets:
    d = data[s]
    ex = d["ex"]
    if s.startswith("positive"):
        listing("exscan misses in %s" % s, ["[%s / %s] %s" % (r["kind"], r["family"], r["file"]) for r in d["rows"] if ex.get(r["file"], (-1,))[0] < LEVEL["medium"]])
    else:
        def why(f):
            return ", ".join(sorted({x.get("rule", "?") for x in ex[f][1] if LEVEL.get(x.get("severity"), -1) >= LEVEL["medium"]}))
        listing("exscan false positives in %s" % s, ["%s: %s" % (r["file"], why(r["file"])) for r in d["rows"] if ex.get(r["file"], (-1,))[0] >= LEVEL["medium"]])
    if with_sb:
        if s.startswith("positive"):
            listing("signature-base misses in %s" % s, ["[%s / %s] %s" % (r["kind"], r["family"], r["file"]) for r in d["rows"] if not d["sb"].get(r["file"])])
        else:
            listing("signature-base false positives in %s" % s, ["%s: %s" % (r["file"], ", ".join(sorted(set(d["sb"][r["file"]])))) for r in d["rows"] if d["sb"].get(r["file"])])

for s in sets:
    sm = data[s]["summary"]
    if sm:
        skipped = sm.get("skipped") or {}
        print("\nexscan %s: %s files seen, %s scanned, skipped %s, %.1f s" % (
            s, sm.get("files_seen"), sm.get("files_scanned"),
            json.dumps(skipped, sort_keys=True) if skipped else "none", sm.get("duration_seconds", 0)))
PY
