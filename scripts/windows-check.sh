#!/usr/bin/env bash
# windows-check: builds bin/exscan.exe and checks it under wine (64-bit,
# Debian's packages) against the Linux build:
#   1. every package vets and its tests compile for Windows; the
#      Windows-only tests (TestWin*) run under wine;
#   2. the demo host and a hostile tree give the same findings, with the
#      same fingerprints, as the Linux build (paths normalised); a report
#      with one finding less or one fingerprint changed must fail that
#      comparison;
#   3. a plain `exscan.exe scan` on wine's own C: drive finds an Exchange
#      install recorded only in the registry, a webshell in it, and an
#      IIS log folder named only in applicationHost.config;
#   4. `exscan.exe watch` reports lines appended to a log and to the log
#      that replaces it at rotation, and exits 0 on Ctrl+C.
#
#   bash scripts/windows-check.sh           (make windows-check)
#
# Wine runs in its own prefix in a temporary folder, with its own
# wineserver, which is shut down (wineserver -k on that prefix) however
# the check ends. Every wait polls for its condition up to a generous
# bound (WINE_WAIT seconds): nothing passes or fails on a fixed sleep.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
# UTF-8: wine names Linux files through the locale's character set (under
# C, names like ünï.aspx would be out of its reach).
export LC_ALL=C.UTF-8
GO=${GO:-go}
WINE_WAIT=${WINE_WAIT:-300}

# Builds bin/exscan.exe and sets HOST and prefix (the static libyara).
# shellcheck source=windows-build.sh
. scripts/windows-build.sh

DEPS_NO_RECOMMENDS=1 bash scripts/deps.sh "wine:wine" "/usr/lib/wine/wine64:wine64"
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver
[ -x "$WINESERVER" ] || WINESERVER=$(command -v wineserver)

out=$(mktemp -d "${TMPDIR:-/tmp}/exscan-windows-check.XXXXXX")
out=$(cd "$out" && pwd -P)
echo "windows-check: working in $out" >&2
export WINEPREFIX="$out/wineprefix" WINEARCH=win64 WINEDEBUG=-all WINELOADER=$WINE
# No Mono/Gecko download prompts, no display.
export WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
unset WAYLAND_DISPLAY
pids=()
cleanup() {
	local code=$?
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	if [ -d "$WINEPREFIX" ]; then
		"$WINESERVER" -k 2>/dev/null || true
		"$WINESERVER" -w 2>/dev/null || true
	fi
	if [ "$code" -eq 0 ] && [ -z "${KEEP:-}" ]; then
		rm -rf "$out"
	else
		echo "windows-check: kept $out" >&2
	fi
}
trap cleanup EXIT

fail() {
	echo "windows-check: FAIL: $*" >&2
	exit 1
}

# winpath PATH: the Windows name wine gives a Linux path (Z: is /).
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# wine_run SECONDS CMD...: runs a Windows program, bounded.
wine_run() {
	local t=$1
	shift
	timeout --kill-after=10 "$t" "$WINE" "$@"
}

# poll SECONDS CMD...: runs CMD every half second until it succeeds.
poll() {
	local limit=$1 start=$SECONDS
	shift
	until "$@"; do
		[ $((SECONDS - start)) -lt "$limit" ] || return 1
		sleep 0.5
	done
}

winenv() {
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$HOST-gcc \
		PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH= "$@"
}

# --- 1. The Go packages build for Windows ------------------------------
echo "windows-check: go vet and go test -c for GOOS=windows" >&2
winenv $GO vet -trimpath -tags yara_static ./...
mkdir -p "$out/tests"
winpkgs=(./internal/sysfile ./scanner/host ./cmd/exscan/cli)
for pkg in $($GO list ./...); do
	rel=.${pkg#exscan}
	name=$(printf '%s' "${rel#./}" | tr '/' '_')
	winenv $GO test -trimpath -tags yara_static -c -o "$out/tests/${name:-root}.test.exe" "$rel"
done

# The test-only stand-in for bcryptprimitives.dll (see the C file); the Go
# runtime loads it from system32 only, so it goes into the prefix's.
mkdir -p "$out/bin"
$HOST-gcc -O2 -shared -o "$out/bcryptprimitives.dll" \
	scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -ladvapi32
cp "$OUT" "$out/bin/exscan.exe"

# --- Wine prefix -------------------------------------------------------
echo "windows-check: creating a wine prefix" >&2
t0=$SECONDS
timeout --kill-after=10 "$WINE_WAIT" "$WINE" wineboot --init </dev/null >"$out/wineboot.log" 2>&1 ||
	{ cat "$out/wineboot.log" >&2; fail "wineboot did not finish in ${WINE_WAIT}s"; }
timeout "$WINE_WAIT" "$WINESERVER" -w || fail "wineserver did not settle after wineboot"
[ -d "$WINEPREFIX/drive_c/windows/system32" ] || fail "wineboot made no C: drive"
cp "$out/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
echo "windows-check: wine prefix ready in $((SECONDS - t0))s" >&2
wine_run 120 "$out/bin/exscan.exe" version >"$out/version.txt" 2>&1 ||
	{ cat "$out/version.txt" >&2; fail "exscan.exe version does not run under wine"; }
echo "windows-check: $(tr -d '\r' <"$out/version.txt")" >&2

# Windows-only tests, in their package folder (testdata is relative).
for pkg in "${winpkgs[@]}"; do
	name=$(printf '%s' "${pkg#./}" | tr '/' '_')
	log="$out/tests/$name.log"
	if ! (cd "$pkg" && wine_run "$WINE_WAIT" "$out/tests/$name.test.exe" -test.run '^TestWin' -test.v -test.count=1) >"$log" 2>&1; then
		tr -d '\r' <"$log" >&2
		fail "Windows tests of $pkg failed under wine"
	fi
	tr -d '\r' <"$log" | grep -q '^--- PASS: TestWin' || { cat "$log" >&2; fail "no Windows test ran in $pkg"; }
	echo "windows-check: $pkg: $(tr -d '\r' <"$log" | grep -c '^--- PASS: TestWin') Windows test(s) passed under wine" >&2
	# Skips are said, with their reason, never silent.
	tr -d '\r' <"$log" | grep -B1 '^--- SKIP' | grep -v '^--$' | sed 's/^/windows-check:   /' >&2 || true
done

# --- 2. Same findings as the Linux build -------------------------------
$GO build -o "$out/exscan-linux" ./cmd/exscan
$GO build -o "$out/wincheck" ./scripts/wincheck

# same NAME ROOT MIN CMD: runs `exscan CMD ROOT` (CMD is "scan --root" for
# a host, "files" for a tree) with both builds, compares the findings, and
# checks that the comparison catches a missing finding and a changed
# fingerprint.
same() {
	local name=$1 root=$2 min=$3 cmd=$4 code
	set +e
	# shellcheck disable=SC2086 # CMD is words
	"$out/exscan-linux" $cmd "$root" --format jsonl --output "$out/$name-linux.jsonl" 2>"$out/$name-linux.err"
	code=$?
	set -e
	[ "$code" -eq 1 ] || { cat "$out/$name-linux.err" >&2; fail "$name: Linux build exited $code, want 1 (findings)"; }
	set +e
	# shellcheck disable=SC2086
	wine_run "$WINE_WAIT" "$out/bin/exscan.exe" $cmd "$(winpath "$root")" --format jsonl \
		--output "$(winpath "$out/$name-windows.jsonl")" 2>"$out/$name-windows.err"
	code=$?
	set -e
	[ "$code" -eq 1 ] || { tr -d '\r' <"$out/$name-windows.err" >&2; fail "$name: exscan.exe exited $code under wine, want 1 (findings)"; }
	"$out/wincheck" compare "$root" "$out/$name-linux.jsonl" "$(winpath "$root")" "$out/$name-windows.jsonl" >"$out/$name.cmp" ||
		fail "$name: the Windows build's findings differ from the Linux build's (above)"
	local n
	n=$(grep -c '"type":"finding"' "$out/$name-linux.jsonl")
	[ "$n" -ge "$min" ] || fail "$name: $n findings, want at least $min"
	# The comparison must see a difference: one finding dropped, one
	# fingerprint changed.
	awk 'BEGIN{d=0} /"type":"finding"/ && !d {d=1; next} {print}' "$out/$name-windows.jsonl" >"$out/$name-drop.jsonl"
	sed '0,/"fingerprint":"[0-9a-f]/s/"fingerprint":"\([0-9a-f]\)/"fingerprint":"x\1/' "$out/$name-windows.jsonl" >"$out/$name-fp.jsonl"
	for bad in drop fp; do
		if "$out/wincheck" compare "$root" "$out/$name-linux.jsonl" "$(winpath "$root")" "$out/$name-$bad.jsonl" >/dev/null 2>"$out/$name-$bad.cmp"; then
			fail "$name: the comparison did not notice a changed report ($bad)"
		fi
	done
	echo "windows-check: $name: $(cat "$out/$name.cmp") (Linux and Windows); a dropped finding and a changed fingerprint are caught" >&2
}

demo=$(pwd -P)/testdata/demo/C
same demo "$demo" 10 "scan --root"

# The hostile tree in a web root, so that findings have a host path and
# fingerprints that do not depend on where the tree is on this machine.
$GO run ./scanner/internal/hostile/hostiletree "$out/hostile/C/inetpub/wwwroot/h" >"$out/hostile-planted.txt"
same hostile "$out/hostile/C" 7 "scan --root"
# Every planted webshell, the deep path and the odd names included, is
# reported by the Windows build (the comparison says Linux agrees).
planted=$(grep -c . "$out/hostile-planted.txt")
got=$(grep '"severity":"critical"' "$out/hostile-windows.jsonl" | grep -o '"path":"[^"]*"' | sort -u | wc -l)
[ "$got" -ge "$planted" ] || fail "hostile: $got webshell(s) reported by exscan.exe, $planted planted"

# --- 3. Live scan of wine's C: drive -------------------------------------
echo "windows-check: live scan of wine's C: drive" >&2
c="$WINEPREFIX/drive_c"
mkdir -p "$c/ExchSrv/V15/FrontEnd/HttpProxy/owa/auth" "$c/ExchSrv/V15/Logging" \
	"$c/windows/system32/inetsrv/config" "$c/WebLogs/W3SVC1"
printf '%s\n' '<%@ Page Language="Jscript"%><%eval(Request.Item["live"],"unsafe");%>' \
	>"$c/ExchSrv/V15/FrontEnd/HttpProxy/owa/auth/errorEE.aspx"
cat >"$c/windows/system32/inetsrv/config/applicationHost.config" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration>
  <system.applicationHost>
    <sites>
      <site name="Default Web Site" id="1">
        <application path="/owa">
          <virtualDirectory path="/" physicalPath="%SystemDrive%\ExchSrv\V15\FrontEnd\HttpProxy\owa" />
        </application>
        <logFile directory="%SystemDrive%\WebLogs" />
      </site>
    </sites>
  </system.applicationHost>
</configuration>
XML
{
	printf '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2025-01-01 00:00:00\r\n'
	printf '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n'
	printf '2025-01-01 10:00:00 10.0.0.5 POST /ecp/LiveCheck.js - 443 - 192.0.2.66 ExchangeServicesClient/0.0.0.0 - 200 0 0 15\r\n'
} >"$c/WebLogs/W3SVC1/u_ex250101.log"
wine_run 120 reg add 'HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup' /v MsiInstallPath /t REG_SZ \
	/d 'C:\ExchSrv\V15\' /f >"$out/reg.log" 2>&1 || { cat "$out/reg.log" >&2; fail "reg add failed"; }
set +e
wine_run "$WINE_WAIT" "$out/bin/exscan.exe" scan --format jsonl --output 'C:\live.jsonl' 2>"$out/live.err"
code=$?
set -e
tr -d '\r' <"$out/live.err" >"$out/live.txt"
[ "$code" -eq 1 ] || { cat "$out/live.txt" >&2; fail "live scan exited $code, want 1"; }
grep -q 'Exchange install found: C:\\\\ExchSrv\\\\V15' "$out/live.txt" || { cat "$out/live.txt" >&2; fail "live scan: install from the registry not found"; }
grep -q 'ExchSrv\\\\V15\\\\FrontEnd\\\\HttpProxy\\\\owa\\\\auth\\\\errorEE.aspx' "$c/live.jsonl" || fail "live scan: webshell in the registry's install not reported"
grep -q 'LiveCheck.js' "$c/live.jsonl" || fail "live scan: the log in applicationHost.config's log folder was not read"
echo "windows-check: live scan: install from the registry, its webshell and the IIS log folder from applicationHost.config found" >&2

# --- 4. watch: appended lines, rotation, Ctrl+C --------------------------
echo "windows-check: exscan.exe watch" >&2
w="$out/watch"
mkdir -p "$w/logs/W3SVC1"
log="$w/logs/W3SVC1/u_ex250101.log"
iis_header() {
	printf '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2025-01-01 00:00:00\r\n'
	printf '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n'
	printf '2025-01-01 00:00:01 10.0.0.5 GET /owa/ - 443 - 10.0.0.20 Mozilla/5.0 - 200 0 0 12\r\n'
}
attack() {
	printf '2025-01-01 10:00:00 10.0.0.5 POST /ecp/%s.js - 443 - 192.0.2.66 ExchangeServicesClient/0.0.0.0 - 200 0 0 15\r\n' "$1"
}
iis_header >"$log"
"$WINE" "$out/bin/exscan.exe" watch "$(winpath "$w/logs")" --state "$(winpath "$w/state")" \
	--output "$(winpath "$w/out.jsonl")" --format jsonl --heartbeat 0 >"$w/stdout" 2>"$w/stderr" &
wpid=$!
pids+=("$wpid")
seen() { grep -q "$1" "$w/out.jsonl" 2>/dev/null; }
poll "$WINE_WAIT" test -s "$w/state" || { tr -d '\r' <"$w/stderr" >&2; fail "watch: no state file after ${WINE_WAIT}s"; }
attack Appended1 >>"$log"
poll "$WINE_WAIT" seen Appended1 || { tr -d '\r' <"$w/stderr" >&2; fail "watch: appended line not reported"; }
# Rotation: the log is renamed away and a new one takes its name.
mv "$log" "$log.1"
iis_header >"$log"
attack Rotated2 >>"$log"
poll "$WINE_WAIT" seen Rotated2 || { tr -d '\r' <"$w/stderr" >&2; fail "watch: line in the rotated-in log not reported"; }
# Ctrl+C: wine turns SIGINT into a CTRL_C_EVENT for the console program.
kill -INT "$wpid"
stopped() { ! kill -0 "$wpid" 2>/dev/null; }
poll 120 stopped || fail "watch: still running 120s after Ctrl+C"
set +e
wait "$wpid"
code=$?
set -e
tr -d '\r' <"$w/stderr" >"$w/stderr.txt"
# 1: this run reported findings at or above --fail-on (the clean exit
# code with findings); anything else is a failure.
[ "$code" -eq 1 ] || { cat "$w/stderr.txt" >&2; fail "watch: exit code $code after Ctrl+C, want 1 (stopped cleanly, findings reported)"; }
grep -q 'watch: .* log line(s) read' "$w/stderr.txt" || { cat "$w/stderr.txt" >&2; fail "watch: no final summary after Ctrl+C"; }
[ "$(grep -c '"type":"finding"' "$w/out.jsonl")" -eq 2 ] || fail "watch: want exactly 2 findings, got $(grep -c '"type":"finding"' "$w/out.jsonl")"
echo "windows-check: watch: appended line and rotated log reported; Ctrl+C ended it with its summary and exit code 1 (findings)" >&2

echo "windows-check: ok ($(stat -c %s "$OUT") bytes, $OUT)" >&2
