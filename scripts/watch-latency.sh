#!/usr/bin/env bash
# Measures exscan watch on this machine and prints the numbers:
#
#   1. latency from append to reported finding: LINES (default 1,000)
#      attack lines, each with a unique id (/ecp/L<n>.js), appended one at a
#      time every GAP seconds (default 0.01) to a live IIS log; the time of
#      each append is recorded, the JSON Lines output is tailed and each
#      finding is matched back to its line by the id; median, 95th
#      percentile and max. Run twice: with file system events (the default)
#      and with --poll-only (what a share without events, or a Windows
#      server whose write events come late, gets: bounded by
#      --poll-interval, default 1 s).
#   2. idle CPU of a watch following FILES (default 50) log files over
#      IDLE_SECONDS (default 60), from utime+stime in /proc/<pid>/stat.
#   3. peak RSS (VmHWM in /proc/<pid>/status) of that watch, after a line
#      was appended to each of its files.
#
# Usage: scripts/watch-latency.sh            (builds exscan into a temp dir)
#        EXSCAN=bin/exscan LINES=1000 IDLE_SECONDS=60 FILES=50 scripts/watch-latency.sh
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
[ -n "${BASH_VERSINFO:-}" ] && [ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }
[ -r /proc/self/stat ] || { echo "needs Linux /proc" >&2; exit 2; }
bash scripts/deps.sh jq

LINES=${LINES:-1000}
GAP=${GAP:-0.01}
IDLE_SECONDS=${IDLE_SECONDS:-60}
FILES=${FILES:-50}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/exscan-watch-latency.XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

BIN=${EXSCAN:-}
if [ -z "$BIN" ]; then
	export PATH=$PATH:/usr/local/go/bin
	go build -o "$WORK/exscan" ./cmd/exscan
	BIN=$WORK/exscan
fi

iis_header() {
	printf '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2025-01-01 00:00:00\r\n'
	printf '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n'
	printf '2025-01-01 00:00:01 10.0.0.5 GET /owa/ - 443 - 10.0.0.20 Mozilla/5.0 - 200 0 0 12\r\n'
}

# attack N: a ProxyLogon SSRF request line the built-in Sigma rules flag
# (exscan.log.proxylogon.ssrf_static_post); the id is in the .js name, which
# is in the finding's evidence.
attack() {
	printf '2025-01-01 10:00:00 10.0.0.5 POST /ecp/L%d.js - 443 - 192.0.2.66 ExchangeServicesClient/0.0.0.0 - 200 0 0 15\r\n' "$1"
}

wait_for_file() { # wait_for_file PATH SECONDS
	local i=0
	while [ ! -s "$1" ]; do
		sleep 0.05
		i=$((i + 1))
		[ $i -lt $(($2 * 20)) ] || { echo "timed out waiting for $1" >&2; return 1; }
	done
}

stat_ticks() { # utime+stime of a pid, in clock ticks
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

latency() { # latency NAME [watch flags...]
	local name=$1
	shift
	local d=$WORK/$name
	mkdir -p "$d/logs/W3SVC1"
	local log=$d/logs/W3SVC1/u_ex250101.log
	iis_header >"$log"
	"$BIN" watch "$d/logs" --state "$d/state" --output "$d/out.jsonl" --format jsonl --heartbeat 0 -q "$@" 2>"$d/stderr" &
	local wpid=$!
	PIDS+=("$wpid")
	wait_for_file "$d/state" 60
	: >>"$d/out.jsonl"
	# The reader: stamp each finding as it appears in the output.
	(tail -n +1 -s 0.01 -F "$d/out.jsonl" 2>/dev/null |
		jq --unbuffered -r 'select(.type=="finding") | .evidence[]? | select(.name=="cs-uri-stem") | .value' |
		while IFS= read -r stem; do printf '%s %s\n' "$stem" "$EPOCHREALTIME"; done >"$d/seen") &
	local rpid=$!
	PIDS+=("$rpid")
	sleep 1
	# The writer: one line per append, its time recorded just before.
	local i t
	for ((i = 1; i <= LINES; i++)); do
		t=$EPOCHREALTIME
		attack "$i" >>"$log"
		printf '/ecp/L%d.js %s\n' "$i" "$t" >>"$d/sent"
		sleep "$GAP"
	done
	# Wait for the last findings (up to 30 s).
	for ((i = 0; i < 600; i++)); do
		[ "$(wc -l <"$d/seen")" -ge "$LINES" ] && break
		sleep 0.05
	done
	kill -TERM "$wpid" 2>/dev/null || true
	wait "$wpid" 2>/dev/null || true
	sleep 0.2
	pkill -P "$rpid" 2>/dev/null || true
	{ kill "$rpid" && wait "$rpid"; } 2>/dev/null || true
	# Match each finding back to its line.
	awk -v name="$name" -v n="$LINES" '
		FNR == NR { sent[$1] = $2; next }
		($1 in sent) { if ($1 in got) dup++; else { got[$1] = 1; lat[++k] = ($2 - sent[$1]) * 1000 } }
		END {
			asorted = 0
			for (i = 2; i <= k; i++) { v = lat[i]; j = i - 1; while (j > 0 && lat[j] > v) { lat[j+1] = lat[j]; j-- } lat[j+1] = v }
			if (k == 0) { printf "%-28s no findings matched\n", name; exit }
			med = (k % 2) ? lat[(k+1)/2] : (lat[k/2] + lat[k/2+1]) / 2
			p95 = lat[int(k * 0.95 + 0.999)]
			printf "%-28s %d/%d lines reported, %d duplicate(s); median %.1f ms, p95 %.1f ms, max %.1f ms\n", name, k, n, dup + 0, med, p95, lat[k]
		}' "$d/sent" "$d/seen"
}

idle_and_rss() {
	local d=$WORK/files
	local i s
	for ((s = 1; s <= 5; s++)); do
		mkdir -p "$d/logs/W3SVC$s"
		for ((i = 1; i <= FILES / 5; i++)); do
			iis_header >"$d/logs/W3SVC$s/u_ex2501$(printf %02d "$i").log"
		done
	done
	local nfiles
	nfiles=$(find "$d/logs" -type f | wc -l)
	"$BIN" watch "$d/logs" --state "$d/state" --output "$d/out.jsonl" --format jsonl --heartbeat 0 -q 2>"$d/stderr" &
	local wpid=$!
	PIDS+=("$wpid")
	wait_for_file "$d/state" 60
	# One attack line to each file: every file is read once (and is then
	# polled every second, as a live log is).
	local n=0
	for f in "$d"/logs/*/*.log; do
		n=$((n + 1))
		attack "$((100000 + n))" >>"$f"
	done
	for ((i = 0; i < 200; i++)); do
		[ "$(jq -c 'select(.type=="finding")' "$d/out.jsonl" 2>/dev/null | wc -l)" -ge "$n" ] && break
		sleep 0.05
	done
	local found
	found=$(jq -c 'select(.type=="finding")' "$d/out.jsonl" | wc -l)
	sleep 2
	local hz t0 t1
	hz=$(getconf CLK_TCK)
	t0=$(stat_ticks "$wpid")
	sleep "$IDLE_SECONDS"
	t1=$(stat_ticks "$wpid")
	local hwm rss
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$wpid/status")
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$wpid/status")
	kill -TERM "$wpid" 2>/dev/null || true
	wait "$wpid" 2>/dev/null || true
	awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$IDLE_SECONDS" -v n="$nfiles" -v f="$found" -v hwm="$hwm" -v rss="$rss" 'BEGIN {
		cpu = (b - a) / hz
		printf "%-28s %.2f s CPU in %d s (%.3f%% of one core), following %d files (%d/%d appended lines reported)\n", "idle CPU", cpu, s, cpu / s * 100, n, f, n
		printf "%-28s %.1f MiB peak (VmHWM), %.1f MiB at the end (VmRSS), following %d files\n", "peak RSS", hwm / 1024, rss / 1024, n
	}'
}

echo "exscan watch measurements ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$BIN" version | head -1))"
latency "latency (events, default)"
latency "latency (--poll-only)" --poll-only
idle_and_rss
