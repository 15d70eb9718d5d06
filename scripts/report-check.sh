#!/usr/bin/env bash
# report-check: render the demo host's HTML report in headless Chromium,
# save a screenshot, and fail when the page logs a script error or a
# Content-Security-Policy violation, or when its script did not finish.
#
#   bash scripts/report-check.sh        (make report-check)
#
# Installs Debian's chromium when it is missing. Prints the PNG path.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

out=$(mktemp -d "${TMPDIR:-/tmp}/exscan-report-check.XXXXXX")
echo "report-check: working in $out" >&2

# The same build as `make build` (version stamped in by its ldflags).
${MAKE:-make} --no-print-directory build >&2

# The demo host is compromised on purpose: exit code 1 is the expected one.
set +e
bin/exscan scan --root testdata/demo/C --format html --output "$out/report.html" 2>"$out/scan.log"
code=$?
set -e
if [ "$code" -ne 1 ]; then
	echo "report-check: exscan exited $code, want 1 (findings on the demo host); its log:" >&2
	cat "$out/scan.log" >&2
	exit 1
fi
if [ ! -s "$out/report.html" ]; then
	echo "report-check: no report written" >&2
	exit 1
fi

browser=""
for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
	echo "report-check: installing chromium" >&2
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y chromium >"$out/apt.log" 2>&1 ||
		{ $sudo apt-get update >>"$out/apt.log" 2>&1 && $sudo apt-get install -y chromium >>"$out/apt.log" 2>&1; } ||
		{ echo "report-check: could not install chromium (see $out/apt.log)" >&2; exit 1; }
	browser=chromium
fi

# A fresh profile per run, no network, no background services: the page
# must render from the file alone.
run_browser() {
	local profile=$1
	shift
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --disable-default-apps --no-default-browser-check \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
}

url="file://$out/report.html"
run_browser "$out/profile-shot" --window-size=1400,2400 --screenshot="$out/report.png" "$url" \
	>/dev/null 2>"$out/browser-shot.log"
# The DOM after the page's script ran: it sets data-js="ok" on <html> when
# it finished, "error" when any script error happened.
run_browser "$out/profile-dom" --virtual-time-budget=5000 --dump-dom "$url" \
	>"$out/dom.html" 2>"$out/browser-dom.log"

# Interaction: the same page with a harness script after the report's own
# (the CSP is dropped from this copy only, to let the harness run). It
# filters, sorts and clicks a timeline mark, and records what it saw.
cat >"$out/harness.js" <<'JS'
(function () {
  var r = [], $ = function (id) { return document.getElementById(id); };
  var set = function (id, v) { var e = $(id); e.value = v; e.dispatchEvent(new Event("change")); };
  var shown = function () { return $("f-shown").textContent.split(" ")[0]; };
  r.push("all=" + shown());
  set("f-sev", "4"); r.push("critical=" + shown()); set("f-sev", "0");
  set("f-kind", "log"); r.push("log=" + shown()); set("f-kind", "");
  document.querySelector("th[data-sort=time]").click();
  var t = Array.prototype.map.call(document.querySelectorAll("#findings tbody tr"), function (x) { return x.getAttribute("data-time"); });
  r.push("sorted=" + (t.join() === t.slice().sort().join()));
  var dot = document.querySelector("svg .dot");
  if (dot) { dot.dispatchEvent(new MouseEvent("click", {bubbles: true})); r.push("dot=" + shown() + "/" + $("f-range").classList.contains("on")); }
  $("f-reset").click(); r.push("reset=" + shown());
  document.body.setAttribute("data-check", r.join(" "));
}());
JS
{
	grep -v -e 'http-equiv="Content-Security-Policy"' -e '^</body>$' -e '^</html>$' "$out/report.html"
	printf '<script>\n'
	cat "$out/harness.js"
	printf '</script>\n</body>\n</html>\n'
} >"$out/interact.html"
run_browser "$out/profile-interact" --virtual-time-budget=5000 --dump-dom "file://$out/interact.html" \
	>"$out/interact-dom.html" 2>"$out/browser-interact.log"

fail=0
check=$(grep -o 'data-check="[^"]*"' "$out/interact-dom.html" | sed 's/^data-check="//; s/"$//' || true)
total=$(grep -c '<tr data-n=' "$out/report.html" || true)
crit=$(grep -c '<tr data-n="[0-9]*" data-sev="4"' "$out/report.html" || true)
logs=$(grep -Ec '<tr data-n="[0-9]*" data-sev="[0-9]" data-kind="log"' "$out/report.html" || true)
want="all=$total critical=$crit log=$logs sorted=true"
case "$check" in
"$want dot="*"/true reset=$total") ;;
*)
	echo "report-check: filtering/sorting check failed: got \"$check\", want \"$want dot=N/true reset=$total\"" >&2
	fail=1
	;;
esac
# Console messages from the page (Chromium logs them as INFO:CONSOLE).
if grep -h 'CONSOLE' "$out/browser-shot.log" "$out/browser-dom.log" "$out/browser-interact.log" |
	grep -Ei 'uncaught|error|content security policy|refused|violat|blocked' >"$out/console-errors.txt"; then
	echo "report-check: the page logged errors:" >&2
	cat "$out/console-errors.txt" >&2
	fail=1
fi
if ! grep -q 'data-js="ok"' "$out/dom.html"; then
	echo "report-check: the page's script did not finish (no data-js=\"ok\" in the rendered DOM; see $out/dom.html)" >&2
	fail=1
fi
if [ ! -s "$out/report.png" ]; then
	echo "report-check: no screenshot (see $out/browser-shot.log)" >&2
	fail=1
fi
if [ "$fail" -ne 0 ]; then
	exit 1
fi
rows=$(grep -o '<tr data-n=' "$out/report.html" | wc -l)
echo "report-check: ok: $rows finding row(s), no console errors; interaction: $check" >&2
echo "$out/report.png"
