#!/usr/bin/env bash
# fleet-check: the Velociraptor artifacts in deploy/velociraptor, run by a
# real Velociraptor (scripts/velociraptor.sh builds it once and caches it).
#
#   bash scripts/fleet-check.sh        (make fleet-check)
#
# 1. `velociraptor artifacts verify` accepts every artifact, and rejects a
#    copy with an unknown plugin (so the verification itself is live).
# 2. Generic.Detection.Exscan collected on the demo host with BinaryPath,
#    extra file and log paths, Since and CollectEvidence: per exscan run
#    (scan, files, logs) its Findings rows equal exscan's own JSON Lines
#    findings (same fingerprints, same fields, no row more), its Summary row
#    has exscan's verdict, counts, context records and exit code, its Uploads
#    hold the HTML report, the JSON Lines and the evidence zip; the same
#    comparison fails when one row is dropped or changed. A BinaryPath that
#    does not exist gives no finding and a Summary row with the error.
# 3. The same collection with the exscan tool downloaded from a web server on
#    127.0.0.1 (Artifact.Generic.Utils.FetchBinary), no BinaryPath.
# 4. Generic.Events.ExscanWatch on a copy of testdata/watch/C: lines appended
#    to its IIS log become events; after a restart with the same state folder
#    a new line is reported and none of the earlier hits again. With a root
#    that does not exist, exscan's error and exit code are logged and exscan
#    is started again.
# Waits poll for the expected rows with a generous bound; nothing is decided
# by a fixed sleep.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
GO=${GO:-go}

work=$(mktemp -d "${TMPDIR:-/tmp}/exscan-fleet-check.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	if [ -n "${FLEET_CHECK_KEEP:-}" ]; then echo "fleet-check: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
echo "fleet-check: working in $work" >&2
fail() {
	echo "fleet-check: FAIL: $*" >&2
	exit 1
}

vr=$(bash scripts/velociraptor.sh)
echo "fleet-check: $("$vr" version | grep -m1 -i '^version' || true) ($vr)" >&2
$GO build -o "$work/exscan" ./cmd/exscan
$GO build -o "$work/fleetcheck" ./scripts/fleetcheck
# Velociraptor's temporary folders (tempdir(), downloaded tools) go here.
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"

defs=deploy/velociraptor
artifacts=("$defs"/*.yaml)

# 1. verify
"$vr" artifacts verify "${artifacts[@]}" >"$work/verify.log" 2>&1 ||
	{ cat "$work/verify.log" >&2; fail "artifacts verify rejected an artifact"; }
mkdir "$work/broken"
sed 's/FROM execve(/FROM execve_no_such_plugin(/' "$defs/Generic.Detection.Exscan.yaml" >"$work/broken/Generic.Detection.Exscan.yaml"
if "$vr" artifacts verify "$work/broken/Generic.Detection.Exscan.yaml" >"$work/verify-broken.log" 2>&1; then
	cat "$work/verify-broken.log" >&2
	fail "artifacts verify accepted an artifact calling an unknown plugin"
fi
echo "fleet-check: artifacts verify: ${#artifacts[@]} artifact(s) accepted, a broken copy rejected" >&2

root=$(cd testdata/demo/C && pwd)

# exscan's own output for the demo host, with the artifact's flags: the whole
# host, and files and logs given as extra paths.
files1="$root/inetpub/wwwroot"
files2="$root/Windows/Temp"
logs1="$root/inetpub/logs"
reference() { # NAME ARGS...: exscan's JSON Lines to NAME.jsonl, exit code to NAME.code
	local name=$1
	shift
	set +e
	"$work/exscan" "$@" --format jsonl --quiet --fail-on medium --threads 0 >"$work/$name.jsonl" 2>"$work/$name.err"
	echo $? >"$work/$name.code"
	set -e
	[ "$(cat "$work/$name.code")" -eq 1 ] ||
		{ cat "$work/$name.err" >&2; fail "exscan $* exited $(cat "$work/$name.code"), want 1 (findings on the demo host)"; }
}
reference scan scan --root "$root" --max-io 0
reference scan-since scan --root "$root" --max-io 0 --since 2021-03-03 --collect "$work/scan-since.zip"
reference files files "$files1" "$files2" --max-io 0 --collect "$work/files.zip"
reference logs logs "$logs1" --since 2021-03-03 --collect "$work/logs.zip"
run() { echo "$1=$(cat "$work/$2.code")=$work/$2.jsonl"; }

# collect DEFINITIONS OUT ARGS...: collects Generic.Detection.Exscan into
# the zip OUT.zip (results and uploads), its log in OUT.log.
collect() {
	local defs_dir=$1 out=$2
	shift 2
	"$vr" artifacts collect Generic.Detection.Exscan --definitions "$defs_dir" \
		--output "$out.zip" --format jsonl "$@" >"$out.log" 2>&1 ||
		{ cat "$out.log" >&2; fail "artifacts collect exited non-zero"; }
}

# Velociraptor resolves every tool an artifact declares before it runs it,
# whether BinaryPath is given or not: on a server the binaries are uploaded
# as tools; here a copy of the artifacts points the tools at a web server on
# 127.0.0.1 that serves the exscan just built.
"$work/fleetcheck" serve -file "$work/exscan" -url-file "$work/url" -log "$work/http.log" &
pids+=($!)
for _ in $(seq 1 600); do
	[ -s "$work/url" ] && break
	kill -0 "${pids[-1]}" 2>/dev/null || fail "the local web server stopped"
	sleep 0.1
done
[ -s "$work/url" ] || fail "the local web server did not start"
url=$(cat "$work/url")
mkdir "$work/tooldefs"
cp "$defs"/*.yaml "$work/tooldefs/"
# The tools get a URL (on a server the binary is uploaded instead).
sed -i "s|^    serve_locally: true\$|    url: $url|" "$work/tooldefs"/*.yaml
for f in "$work/tooldefs"/*.yaml; do
	[ "$(grep -c "url: $url" "$f")" -eq 2 ] || fail "could not point the tools of $f at $url"
done
# 2. BinaryPath, the whole host and extra paths, --since, evidence zips
collect "$work/tooldefs" "$work/binpath" --args BinaryPath="$work/exscan" --args Root="$root" \
	--args LowPriority=N --args MaxIO=0 --args Since=2021-03-03 --args CollectEvidence=Y \
	--args ExtraFilePaths="$files1
$files2" --args ExtraLogPaths="$logs1"
check_binpath() {
	"$work/fleetcheck" scan -run "$(run scan scan-since)" -run "$(run files files)" -run "$(run logs logs)" \
		-evidence -collection "$work/binpath.zip" "$@"
}
check_binpath || { cat "$work/binpath.log" >&2; fail "Generic.Detection.Exscan rows differ from exscan's output"; }
for m in drop change; do
	if check_binpath -mutate "$m" 2>"$work/mutate-$m.log"; then
		fail "the comparison passed with one Findings row altered (-mutate $m): it would not catch a wrong artifact"
	fi
	echo "fleet-check: -mutate $m (one Findings row dropped/changed) fails the comparison: $(sed -n 2p "$work/mutate-$m.log" | sed 's/^ *//')" >&2
done

# A binary that is not there: Velociraptor still exits 0; the Summary row
# carries the exit code and the error.
collect "$work/tooldefs" "$work/missing" --args BinaryPath="$work/no-such-exscan" --args Root="$root"
"$work/fleetcheck" failed -collection "$work/missing.zip" ||
	{ cat "$work/missing.log" >&2; fail "a missing exscan is not reported in the Summary"; }

# 3. the tool downloaded from 127.0.0.1 (FetchBinary), no BinaryPath
collect "$work/tooldefs" "$work/tool" --args Root="$root" --args LowPriority=N --args MaxIO=0
"$work/fleetcheck" scan -run "$(run scan scan)" -collection "$work/tool.zip" ||
	{ cat "$work/tool.log" >&2; fail "Generic.Detection.Exscan with the downloaded tool differs from exscan's output"; }
echo "fleet-check: without BinaryPath, exscan was downloaded from $url (FetchBinary) and gave the same rows" >&2

# 4. the event artifact
wroot="$work/watch/C"
mkdir -p "$wroot"
cp -R testdata/watch/C/. "$wroot/"
iis="$wroot/inetpub/logs/LogFiles/W3SVC1/u_ex250101.log"
state="$work/watch/state"
attack() { # a line the built-in ProxyLogon rule flags, with id in its URL
	printf '2025-01-01 10:00:00 10.0.0.5 POST /ecp/%s.js - 443 - 192.0.2.66 ExchangeServicesClient/0.0.0.0 - 200 0 0 15\r\n' "$1" >>"$iis"
}
watch() { # OUT: runs the event artifact until stopped, rows to OUT
	"$vr" artifacts collect Generic.Events.ExscanWatch --definitions "$work/tooldefs" --format jsonl \
		--args BinaryPath="$work/exscan" --args Root="$wroot" --args StateFolder="$state" \
		--args FromStart=Y --args LowPriority=N --args RestartSeconds=5 >"$1" 2>"$1.log" &
	pids+=($!)
}
stop_watch() { # stops the last collection and the exscan it started
	local p=${pids[-1]} kids
	kids=$(cat /proc/"$p"/task/*/children 2>/dev/null || true)
	kill "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	for k in $kids; do kill "$k" 2>/dev/null || true; done
}

attack fleet1
watch "$work/events1.jsonl"
"$work/fleetcheck" events -rows "$work/events1.jsonl" -ids fleet1 ||
	{ cat "$work/events1.jsonl.log" >&2; fail "no event for a line in the log at the start"; }
attack fleet2
"$work/fleetcheck" events -rows "$work/events1.jsonl" -ids fleet1,fleet2 ||
	{ cat "$work/events1.jsonl.log" >&2; fail "no event for an appended line"; }
stop_watch
[ -s "$state/watch.state" ] || fail "no state in the state folder $state"
attack fleet3
watch "$work/events2.jsonl"
"$work/fleetcheck" events -rows "$work/events2.jsonl" -ids fleet3 -not-in "$work/events1.jsonl" ||
	{ cat "$work/events2.jsonl.log" >&2; fail "the restarted event artifact missed a line or repeated a hit"; }
stop_watch
echo "fleet-check: Generic.Events.ExscanWatch: appended lines became events; after a restart, a new line did and no earlier hit came again" >&2

# An exscan watch that cannot run (a root that does not exist): its error
# and exit code reach the collection log, and it is started again.
wait_for() { # FILE PATTERN COUNT: polls until FILE has COUNT lines matching PATTERN
	local i
	for i in $(seq 1 1200); do
		[ "$(grep -c -- "$2" "$1" 2>/dev/null || true)" -ge "$3" ] && return 0
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}
"$vr" -v artifacts collect Generic.Events.ExscanWatch --definitions "$work/tooldefs" --format jsonl \
	--args BinaryPath="$work/exscan" --args Root="$work/no-such-root" --args StateFolder="$work/watch/state2" \
	--args RestartSeconds=1 >"$work/events3.jsonl" 2>"$work/events3.log" &
pids+=($!)
wait_for "$work/events3.log" "exscan watch stopped with exit code 2" 1 &&
	wait_for "$work/events3.log" "root folder cannot be read: $work/no-such-root" 1 &&
	wait_for "$work/events3.log" "Running external command \[$work/exscan watch" 2 ||
	{ cat "$work/events3.log" >&2; fail "a failing exscan watch is not logged with its error and exit code, or not started again"; }
stop_watch
[ ! -s "$work/events3.jsonl" ] || fail "events from an exscan watch that could not run: $(cat "$work/events3.jsonl")"
echo "fleet-check: Generic.Events.ExscanWatch with a root that does not exist: exscan's error and exit code 2 logged, exscan started again" >&2
echo "fleet-check: OK"
