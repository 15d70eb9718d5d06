#!/usr/bin/env bash
# make bench (event logs): exscan's EVTX reading timed side by side with
# libevtx's evtxexport and python-evtx's evtx_dump.py on the same files.
#
#   corpus: every .evtx of ../shared/corpus/evtx (CORPUS=DIR to override)
#   large:  one .evtx of BENCH_EVTX_BYTES (default 1G) made of the corpus'
#           undamaged chunks repeated behind one file header (records repeat;
#           the parsers do the same work per chunk) - for throughput
#   small:  the same made 10 times smaller: exscan's max RSS on both, side
#           by side, shows memory stays flat as the log grows
#
# exscan: `exscan logs PATH --format jsonl` (reading, all built-in checks);
# evtxexport: `evtxexport FILE` (text export) per file; evtx_dump.py: XML
# export per file (corpus only, with BENCH_EVTX_PYTHON=1: about 80 times
# slower than exscan).
# Each command runs once; /usr/bin/time gives seconds and max RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
corpus=${CORPUS:-../shared/corpus/evtx}
bytes=${BENCH_EVTX_BYTES:-1G}
BIN=${BENCH_BIN:-bin/exscan}
say() { printf 'bench-evtx: %s\n' "$*" >&2; }
if [ ! -d "$corpus" ]; then
	say "no EVTX corpus at $corpus; nothing to measure"
	exit 0
fi
bash scripts/deps.sh evtxexport:libevtx-utils evtx_dump.py:python3-evtx /usr/bin/time:time
[ -x "$BIN" ] || make build
work=$(mktemp -d "${TMPDIR:-/tmp}/exscan-bench-evtx.XXXXXX")
trap 'rm -rf "$work"' EXIT

# large file: header of one corpus file + the chunks of the files both
# parsers read whole
find "$corpus" -name '*.evtx' -not -path '*/damaged/*' | LC_ALL=C sort | while IFS= read -r f; do
	if evtxexport "$f" >/dev/null 2>&1; then echo "$f"; fi
done >"$work/files"
python3 - "$work/files" "$work/large.evtx" "$bytes" "$work/small.evtx" <<'PY'
import os, sys
files, out, size, small = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
want = int(size[:-1]) * mult[size[-1]] if size[-1] in mult else int(size)
chunks, header = [], None
for f in open(files).read().splitlines():
    b = open(f, "rb").read()
    header = header or b[:4096]
    for o in range(4096, len(b) - 65535, 65536):
        if b[o:o + 8] == b"ElfChnk\0":
            chunks.append(b[o:o + 65536])
import struct, zlib
# records are renumbered so the file is consistent (ids rising across
# chunks, chunk and record checksums right), as a real 1 GB log is
def renumber(c, first):
    c = bytearray(c)
    free = struct.unpack_from("<I", c, 48)[0]
    off, rid = 512, first
    while off + 28 <= free and c[off:off + 4] == b"**\0\0":
        size = struct.unpack_from("<I", c, off + 4)[0]
        if size < 28 or off + size > 65536:
            break
        struct.pack_into("<Q", c, off + 8, rid)
        rid += 1
        off += size
    n = rid - first
    struct.pack_into("<QQQQ", c, 8, first, rid - 1, first, rid - 1)
    struct.pack_into("<I", c, 52, zlib.crc32(bytes(c[512:free])))
    struct.pack_into("<I", c, 124, zlib.crc32(bytes(c[:120]) + bytes(c[128:512])))
    return bytes(c), n
def write(out, want):
    count = max(1, (want - 4096) // 65536)
    h = bytearray(header)
    rid = 1
    with open(out, "wb") as w:
        w.write(b"\0" * 4096)
        for i in range(count):
            c, n = renumber(chunks[i % len(chunks)], rid)
            rid += n
            w.write(c)
        struct.pack_into("<QQQ", h, 8, 0, count - 1, rid)  # first, last chunk; next record id
        struct.pack_into("<H", h, 42, min(count, 0xffff))  # chunk count
        h[120:124] = b"\0\0\0\0"  # flags: clean
        struct.pack_into("<I", h, 124, zlib.crc32(bytes(h[:120])))
        w.seek(0)
        w.write(h)
write(out, want)
write(small, want // 10)
PY
files=$(find "$corpus" -name '*.evtx' | wc -l)
corpus_bytes=$(find "$corpus" -name '*.evtx' -printf '%s\n' | awk '{s+=$1} END{print s}')
large_bytes=$(stat -c %s "$work/large.evtx")
small_bytes=$(stat -c %s "$work/small.evtx")

# run NAME CMD...: prints "NAME seconds maxrss_kb"
run() {
	local name=$1
	shift
	/usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1 || true
	echo "$name $(tail -1 "$work/t")"
}
records() { # exscan's record count for PATH
	"$BIN" logs "$1" --format jsonl --fail-on critical 2>/dev/null | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["log_records"].get("evtx",0))'
}
say "corpus: $files files, $corpus_bytes bytes; large: $large_bytes bytes; small: $small_bytes bytes"
recs_c=$(records "$corpus")
recs_l=$(records "$work/large.evtx")
recs_s=$(records "$work/small.evtx")
{
	run "exscan-corpus" "$BIN" logs "$corpus" --format jsonl --fail-on critical
	run "evtxexport-corpus" bash -c "find '$corpus' -name '*.evtx' -print0 | xargs -0 -n1 evtxexport"
	if [ -n "${BENCH_EVTX_PYTHON:-}" ]; then # about 8 minutes on the corpus
		run "evtx_dump.py-corpus" bash -c "find '$corpus' -name '*.evtx' -print0 | xargs -0 -n1 evtx_dump.py"
	fi
	run "exscan-large" "$BIN" logs "$work/large.evtx" --format jsonl --fail-on critical
	run "exscan-small" "$BIN" logs "$work/small.evtx" --format jsonl --fail-on critical
	run "evtxexport-large" evtxexport "$work/large.evtx"
} | tee "$work/samples" >&2
printf '\n%-22s %10s %12s %12s %12s\n' tool seconds "MB/s" "records/s" "max RSS MB"
while read -r name secs rss; do
	case $name in
	*-corpus) b=$corpus_bytes r=$recs_c ;;
	*-small) b=$small_bytes r=$recs_s ;;
	*) b=$large_bytes r=$recs_l ;;
	esac
	awk -v n="$name" -v s="$secs" -v b="$b" -v r="$r" -v m="$rss" 'BEGIN{if(s<0.01)s=0.01; printf "%-22s %10.2f %12.1f %12.0f %12.1f\n", n, s, b/s/1048576, r/s, m/1024}'
done <"$work/samples"
echo "(records: corpus $recs_c, large $recs_l, small $recs_s, as exscan counts them; evtx_dump.py stops on some damaged files)"
# memory flat: exscan's max RSS on the large log against the 10 times
# smaller one
awk '$1=="exscan-large"{l=$3} $1=="exscan-small"{s=$3} END{if(s>0) printf "exscan max RSS: %.1f MB on %.0f MB, %.1f MB on %.0f MB (ratio %.2f for %.0fx the size)\n", l/1024, lb/1048576, s/1024, sb/1048576, l/s, lb/sb}' lb="$large_bytes" sb="$small_bytes" "$work/samples"
