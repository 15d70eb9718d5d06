#!/usr/bin/env bash
# make bench: exscan timed side by side with the tools that bound it.
#
#   exscan files TREE   vs  yara -r -p CORES with exscan's own rules  vs  cat of every file
#   exscan logs  LOGS   vs  rg -F -i -c with the indicator literals (and with the rules' needles too)  vs  cat of every log
#
# The data (a 1 GB Exchange-shaped web tree, 2 GB of IIS and HttpProxy logs)
# come from scripts/benchgen, seeded, outside the repo, and are reused when
# present. Every command runs once untimed first (warm page cache for all,
# nothing dropped), then BENCH_RUNS times, interleaved A/B/C. The table gives
# medians; the JSON under DATA/bench-results/ keeps every sample.
#
# Settings (environment): BENCH_RUNS (3), BENCH_SEED (1), BENCH_FILES (30000),
# BENCH_TREE_BYTES (1G), BENCH_LOG_BYTES (2G), BENCH_DIR (${TMPDIR:-/tmp}/exscan-bench),
# BENCH_BIN (bin/exscan), BENCH_BUDGET (540: seconds after which no further
# timed round starts; at least one always runs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

RUNS=${BENCH_RUNS:-3}
BUDGET=${BENCH_BUDGET:-540}
SEED=${BENCH_SEED:-1}
FILES=${BENCH_FILES:-30000}
TREE_BYTES=${BENCH_TREE_BYTES:-1G}
LOG_BYTES=${BENCH_LOG_BYTES:-2G}
DATA=${BENCH_DIR:-${TMPDIR:-/tmp}/exscan-bench}
CORES=$(nproc)
BIN=${BENCH_BIN:-bin/exscan}
START=$(date +%s)

say() { printf 'bench: %s\n' "$*" >&2; }

# --- tools ------------------------------------------------------------------
need=()
command -v yara >/dev/null 2>&1 || need+=(yara)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v jq >/dev/null 2>&1 || need+=(jq)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
	say "installing missing packages: ${need[*]}"
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || { say "need root to apt-get install ${need[*]}"; exit 1; }
		sudo=sudo
	fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -x "$BIN" ] || make build
EXSCAN_VERSION=$("$BIN" version 2>/dev/null | sed -n 1p || echo unknown)
YARA_VERSION=$(yara --version)
RG_VERSION=$(rg --version | sed -n 1p)

# --- data -------------------------------------------------------------------
say "data: $DATA (seed $SEED, $FILES files, tree $TREE_BYTES, logs $LOG_BYTES)"
gen_start=$(date +%s)
go run ./scripts/benchgen -out "$DATA" -seed "$SEED" -files "$FILES" -tree-bytes "$TREE_BYTES" -log-bytes "$LOG_BYTES"
GEN_SECONDS=$(($(date +%s) - gen_start))
TREE="$DATA/tree"
LOGS="$DATA/logs"
TREE_BYTES_REAL=$(jq .tree_bytes "$DATA/manifest.json")
LOG_BYTES_REAL=$(jq .log_bytes "$DATA/manifest.json")
TREE_FILES=$(jq .tree_files "$DATA/manifest.json")
LOG_FILES=$(jq .log_files "$DATA/manifest.json")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/exscan-bench-run.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# exscan's built-in YARA rules as one file, with exscan's externals defined.
cat rules/yara/*.yar >"$WORK/rules.yar"
YARA_EXT=(-d filename= -d filepath= -d extension= -d filetype= -d owner= -d md5=)
# The indicator literals of the built-in lists (the baseline the targets
# use), and those plus the literal needles of the built-in Sigma rules.
go run ./scripts/benchgen -ioc-needles . >"$WORK/ioc-needles.txt"
IOC_NEEDLES=$(wc -l <"$WORK/ioc-needles.txt")
go run ./scripts/benchgen -needles . >"$WORK/needles.txt"
NEEDLES=$(wc -l <"$WORK/needles.txt")
# A short fixed list of the key attack needles (ProxyLogon anchors and
# cookies, ProxyShell autodiscover, webshell folders, attack-tool user
# agents) plus the indicator lists' IPs: what a hand-written grep would use.
{
	printf '%s\n' 'ServerInfo~' 'X-BEResource-Cookie' 'X-AnonResource-Backend-Cookie' 'autodiscover.json' '/owa/auth/' \
		'/aspnet_client/' 'ResetOABVirtualDirectory' 'ExchangeServicesClient/0.0.0.0' 'python-requests' 'antSword' 'Python+PSRP'
	grep -h $'^ip\t' iocs/data/*.tsv | cut -f2 | sort -u
} >"$WORK/key-needles.txt"
KEY_NEEDLES=$(wc -l <"$WORK/key-needles.txt")

# --- the commands -----------------------------------------------------------
# Each reads one input; ok exit codes: exscan 0/1 (1 = findings), rg 0/1.
declare -A CMD INPUT OKRC
CMD[exscan-files]="$BIN files '$TREE' --format jsonl --output /dev/null -q"
CMD[yara]="yara -r -p $CORES -w ${YARA_EXT[*]} '$WORK/rules.yar' '$TREE'"
CMD[cat-files]="find '$TREE' -type f -print0 | xargs -0 cat"
CMD[cat-files-par]="find '$TREE' -type f -print0 | xargs -0 -P $CORES -n 512 cat"
CMD[exscan-logs]="$BIN logs '$LOGS' --format jsonl --output /dev/null -q"
CMD[rg]="rg --no-config --no-ignore -F -i -c -f '$WORK/ioc-needles.txt' '$LOGS'"
CMD[rg-all]="rg --no-config --no-ignore -F -i -c -f '$WORK/needles.txt' '$LOGS'"
CMD[rg-key]="rg --no-config --no-ignore -F -i -c -f '$WORK/key-needles.txt' '$LOGS'"
CMD[cat-logs]="find '$LOGS' -type f -print0 | xargs -0 cat"
for n in exscan-files yara cat-files cat-files-par; do INPUT[$n]=tree; done
for n in exscan-logs rg rg-all rg-key cat-logs; do INPUT[$n]=logs; done
for n in "${!CMD[@]}"; do OKRC[$n]="0"; done
OKRC[exscan-files]="0 1"
OKRC[exscan-logs]="0 1"
OKRC[rg]="0 1"
OKRC[rg-all]="0 1"
OKRC[rg-key]="0 1"
FILE_CMDS=(exscan-files yara cat-files cat-files-par)
LOG_CMDS=(exscan-logs rg rg-all rg-key cat-logs)

# measure NAME: runs the command once, appends "name wall cpu rss_kb" to samples.
measure() {
	local n=$1 rc t0 t1
	t0=$(date +%s%N)
	set +e
	/usr/bin/time -f '%U %S %M' -o "$WORK/time" bash -c "${CMD[$n]}" >/dev/null 2>"$WORK/stderr"
	rc=$?
	set -e
	t1=$(date +%s%N)
	if [[ " ${OKRC[$n]} " != *" $rc "* ]]; then
		say "$n failed (exit $rc): ${CMD[$n]}"
		cat "$WORK/stderr" >&2
		exit 1
	fi
	read -r u s m < <(tail -1 "$WORK/time")
	echo "$n $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b-a)/1e9}') $(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}') $m" >>"$WORK/samples"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "load average before: $LOAD_BEFORE ($CORES cores)"
if awk -v l="${LOAD_BEFORE%% *}" -v c="$CORES" 'BEGIN{exit !(l > c*0.75)}'; then
	say "WARNING: the machine is busy (load ${LOAD_BEFORE%% *} on $CORES cores): wall times are inflated; compare the CPU seconds too"
fi

# --- warm-up and sanity -------------------------------------------------------
say "warm-up: one untimed run of each command (page cache warm for all; nothing dropped)"
set +e
"$BIN" files "$TREE" --format jsonl --output "$WORK/files.jsonl" -q 2>"$WORK/files.err"
rc_files=$?
"$BIN" logs "$LOGS" --format jsonl --output "$WORK/logs.jsonl" -q 2>"$WORK/logs.err"
rc_logs=$?
set -e
if [ "$rc_files" -gt 1 ] || [ "$rc_logs" -gt 1 ]; then
	say "exscan failed (files exit $rc_files, logs exit $rc_logs)"
	cat "$WORK/files.err" "$WORK/logs.err" >&2
	exit 1
fi
eval "${CMD[yara]}" >"$WORK/yara.out"
eval "${CMD[rg]}" >"$WORK/rg.out" || true
eval "${CMD[rg-all]}" >"$WORK/rg-all.out" || true
eval "${CMD[rg-key]}" >"$WORK/rg-key.out" || true
eval "${CMD[cat-files]}" >/dev/null
eval "${CMD[cat-files-par]}" >/dev/null
eval "${CMD[cat-logs]}" >/dev/null

# Planted webshells: which did exscan report, and which through a YARA rule?
shells_planted=$(wc -l <"$DATA/webshells.tsv")
jq -r --arg root "$TREE/" 'select(.type=="finding") | [(.path | ltrimstr($root)), ([.reasons[]?.source] | index("yara") != null | tostring), .severity] | @tsv' \
	"$WORK/files.jsonl" | sort -u >"$WORK/file-hits.tsv"
cut -f1 "$DATA/webshells.tsv" | sort >"$WORK/shells"
shells_found=$(cut -f1 "$WORK/file-hits.tsv" | sort -u | comm -12 - "$WORK/shells" | wc -l)
shells_yara=$(awk -F'\t' '$2=="true"{print $1}' "$WORK/file-hits.tsv" | sort -u | comm -12 - "$WORK/shells" | wc -l)
files_other=$(cut -f1 "$WORK/file-hits.tsv" | sort -u | comm -23 - "$WORK/shells" | wc -l)
yara_shells=$(awk -v root="$TREE/" '{sub(/^[^ ]+ /, ""); sub("^" root, ""); print}' "$WORK/yara.out" | sort -u | comm -12 - "$WORK/shells" | wc -l)
yara_other=$(awk -v root="$TREE/" '{sub(/^[^ ]+ /, ""); sub("^" root, ""); print}' "$WORK/yara.out" | sort -u | comm -23 - "$WORK/shells" | wc -l)

# Planted attack lines: which (file, line) did exscan report?
attacks_planted=$(wc -l <"$DATA/attacks.tsv")
jq -r --arg root "$LOGS/" 'select(.type=="finding") | "\(.path | ltrimstr($root))\t\(.line // 0)"' "$WORK/logs.jsonl" | sort -u >"$WORK/log-hits.tsv"
cut -f1,2 "$DATA/attacks.tsv" | sort -u >"$WORK/attacks"
attacks_found=$(comm -12 "$WORK/log-hits.tsv" "$WORK/attacks" | wc -l)
logs_other=$(comm -23 "$WORK/log-hits.tsv" "$WORK/attacks" | wc -l)
log_findings=$(jq -r 'select(.type=="finding") | .rule' "$WORK/logs.jsonl" | wc -l)
rg_lines=$(awk -F: '{s += $NF} END {print s+0}' "$WORK/rg.out")
rg_all_lines=$(awk -F: '{s += $NF} END {print s+0}' "$WORK/rg-all.out")
rg_key_lines=$(awk -F: '{s += $NF} END {print s+0}' "$WORK/rg-key.out")
missed_kinds=$(awk -F'\t' 'NR==FNR{hit[$1"\t"$2]=1; next} !(($1"\t"$2) in hit){print $3}' "$WORK/log-hits.tsv" "$DATA/attacks.tsv" |
	sort | uniq -c | awk '{printf "%s%s x%s", (NR>1?", ":""), $2, $1}')
files_scanned=$(jq -r 'select(.type=="summary") | "\(.files_scanned) scanned, skipped \(.skipped // {} | tostring)"' "$WORK/files.jsonl")
log_records=$(jq -r 'select(.type=="summary") | [.log_records[]?] | add // 0' "$WORK/logs.jsonl")

say "sanity: webshells reported by exscan $shells_found/$shells_planted (through YARA $shells_yara), other files reported $files_other; yara CLI $yara_shells/$shells_planted, other files $yara_other"
say "sanity: attack lines reported by exscan $attacks_found/$attacks_planted, findings on other lines $logs_other; rg matched $rg_lines lines with the $IOC_NEEDLES indicator needles, $rg_all_lines with $NEEDLES rule and indicator needles, $rg_key_lines with the $KEY_NEEDLES key needles"
if [ -n "$missed_kinds" ]; then say "sanity: attack lines exscan missed, by kind: $missed_kinds"; fi
say "sanity: exscan files: $files_scanned; exscan logs: $log_records records"

# --- timed runs -------------------------------------------------------------
: >"$WORK/samples"
DONE=0
for i in $(seq 1 "$RUNS"); do
	round_start=$(date +%s)
	say "run $i/$RUNS"
	for n in "${FILE_CMDS[@]}"; do measure "$n"; done
	for n in "${LOG_CMDS[@]}"; do measure "$n"; done
	DONE=$i
	now=$(date +%s)
	if [ "$i" -lt "$RUNS" ] && [ $((now - START + now - round_start)) -gt "$BUDGET" ]; then
		say "stopping after $i run(s): another would pass the ${BUDGET}s budget (BENCH_BUDGET)"
		break
	fi
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- results ----------------------------------------------------------------
median() { # NAME COLUMN
	awk -v n="$1" -v c="$2" '$1==n{print $c}' "$WORK/samples" | sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'
}
maxcol() { awk -v n="$1" -v c="$2" '$1==n && $c>m{m=$c} END{print m+0}' "$WORK/samples"; }
declare -A WALL CPU RSS MBS
for n in "${FILE_CMDS[@]}" "${LOG_CMDS[@]}"; do
	WALL[$n]=$(median "$n" 2)
	CPU[$n]=$(median "$n" 3)
	RSS[$n]=$(awk -v k="$(maxcol "$n" 4)" 'BEGIN{printf "%.1f", k/1024}')
	bytes=$TREE_BYTES_REAL
	[ "${INPUT[$n]}" = logs ] && bytes=$LOG_BYTES_REAL
	MBS[$n]=$(awk -v b="$bytes" -v w="${WALL[$n]}" 'BEGIN{printf "%.0f", b/1e6/w}')
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
R_FILES_YARA=$(ratio "${WALL[exscan-files]}" "${WALL[yara]}")
R_FILES_CAT=$(ratio "${WALL[exscan-files]}" "${WALL[cat-files]}")
R_FILES_YARA_CPU=$(ratio "${CPU[exscan-files]}" "${CPU[yara]}")
R_LOGS_RG=$(ratio "${WALL[exscan-logs]}" "${WALL[rg]}")
R_LOGS_CAT=$(ratio "${WALL[exscan-logs]}" "${WALL[cat-logs]}")
R_LOGS_RG_CPU=$(ratio "${CPU[exscan-logs]}" "${CPU[rg]}")
R_LOGS_RGKEY=$(ratio "${WALL[exscan-logs]}" "${WALL[rg-key]}")
R_LOGS_RGALL=$(ratio "${WALL[exscan-logs]}" "${WALL[rg-all]}")
passfail() { awk "BEGIN{exit !($1)}" && echo PASS || echo FAIL; }
T_FILES=$(passfail "$R_FILES_YARA <= 1.15")
T_LOGS_RG=$(passfail "$R_LOGS_RG <= 2.0")
T_LOGS_MBS=$(passfail "${MBS[exscan-logs]} >= 150")
T_RSS_FILES=$(passfail "${RSS[exscan-files]} < 200")
T_RSS_LOGS=$(passfail "${RSS[exscan-logs]} < 200")
T_SANITY_FILES=$(passfail "$shells_found == $shells_planted")
T_SANITY_LOGS=$(passfail "$attacks_found == $attacks_planted")
TOTAL=$(($(date +%s) - START))

{
	echo
	echo "exscan benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $CORES cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load $LOAD_BEFORE -> $LOAD_AFTER"
	echo "$EXSCAN_VERSION | yara $YARA_VERSION | $RG_VERSION"
	echo "tree: $TREE_FILES files, $(awk -v b="$TREE_BYTES_REAL" 'BEGIN{printf "%.0f", b/1e6}') MB; logs: $LOG_FILES files, $(awk -v b="$LOG_BYTES_REAL" 'BEGIN{printf "%.0f", b/1e6}') MB; $DONE timed runs each after one warm-up, interleaved; medians (MB = 10^6 bytes)"
	echo
	printf '%-14s %10s %8s %9s %10s  %s\n' command "wall s" "MB/s" "CPU s" "peak RSS" "what"
	printf '%-14s %10s %8s %9s %10s  %s\n' -------------- ---------- -------- --------- ---------- ----
	for n in "${FILE_CMDS[@]}" "${LOG_CMDS[@]}"; do
		case $n in
		exscan-files) what="exscan files (hashes, IOCs, YARA), $CORES threads" ;;
		yara) what="yara -r -p $CORES, exscan's $(grep -c '^rule ' "$WORK/rules.yar") built-in rules" ;;
		cat-files) what="find | xargs cat" ;;
		cat-files-par) what="find | xargs -P $CORES cat" ;;
		exscan-logs) what="exscan logs (parse, Sigma, IOCs), $CORES threads" ;;
		rg) what="rg -F -i -c, the $IOC_NEEDLES indicator literals (ip, user agent, domain, url)" ;;
		rg-all) what="rg -F -i -c, $NEEDLES needles from the Sigma rules and indicator lists" ;;
		rg-key) what="rg -F -i -c, $KEY_NEEDLES key needles" ;;
		cat-logs) what="find | xargs cat" ;;
		esac
		printf '%-14s %10s %8s %9s %7s MB  %s\n' "$n" "${WALL[$n]}" "${MBS[$n]}" "${CPU[$n]}" "${RSS[$n]}" "$what"
	done
	echo
	echo "ratios (wall):  exscan-files/yara $R_FILES_YARA  exscan-files/cat $R_FILES_CAT  exscan-logs/rg $R_LOGS_RG  exscan-logs/rg-all $R_LOGS_RGALL  exscan-logs/rg-key $R_LOGS_RGKEY  exscan-logs/cat $R_LOGS_CAT"
	echo "ratios (CPU):   exscan-files/yara $R_FILES_YARA_CPU  exscan-logs/rg $R_LOGS_RG_CPU"
	echo "targets:        files <= 1.15x yara: $T_FILES ($R_FILES_YARA)  logs >= 0.5x rg: $T_LOGS_RG ($(ratio "${WALL[rg]}" "${WALL[exscan-logs]}")x)  logs >= 150 MB/s: $T_LOGS_MBS (${MBS[exscan-logs]})  RSS < 200 MB: files $T_RSS_FILES, logs $T_RSS_LOGS"
	echo "sanity:         files $T_SANITY_FILES, logs $T_SANITY_LOGS"
	echo "                webshells $shells_found/$shells_planted reported ($shells_yara through YARA; yara CLI $yara_shells/$shells_planted), other files reported $files_other; attack lines $attacks_found/$attacks_planted reported, findings on other lines $logs_other, log findings $log_findings from $log_records records; rg matched $rg_lines lines, rg-all $rg_all_lines, rg-key $rg_key_lines"
	echo "total wall time ${TOTAL}s (data generation ${GEN_SECONDS}s)"
} | tee "$WORK/table.txt"

# --- JSON -------------------------------------------------------------------
mkdir -p "$DATA/bench-results"
OUT="$DATA/bench-results/bench-$(date -u +%Y%m%dT%H%M%SZ).json"
samples_json=$(awk '{printf "%s{\"command\":\"%s\",\"wall_s\":%s,\"cpu_s\":%s,\"rss_kb\":%s}", (NR>1?",":""), $1, $2, $3, $4}' "$WORK/samples")
results_json=$(for n in "${FILE_CMDS[@]}" "${LOG_CMDS[@]}"; do
	jq -nc --arg n "$n" --arg cmd "${CMD[$n]}" --arg input "${INPUT[$n]}" --argjson wall "${WALL[$n]}" --argjson cpu "${CPU[$n]}" \
		--argjson rss "${RSS[$n]}" --argjson mbs "${MBS[$n]}" \
		'{($n): {command: $cmd, input: $input, median_wall_s: $wall, median_cpu_s: $cpu, mb_per_s: $mbs, peak_rss_mb: $rss}}'
done | jq -s add)
jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
	--arg exscan "$EXSCAN_VERSION" --arg yara "$YARA_VERSION" --arg rg "$RG_VERSION" \
	--arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" --argjson cores "$CORES" \
	--arg load_before "$LOAD_BEFORE" --arg load_after "$LOAD_AFTER" --argjson runs "$DONE" \
	--slurpfile manifest "$DATA/manifest.json" --argjson results "$results_json" --argjson samples "[$samples_json]" \
	--argjson r1 "$R_FILES_YARA" --argjson r2 "$R_FILES_CAT" --argjson r3 "$R_LOGS_RG" --argjson r4 "$R_LOGS_CAT" \
	--argjson r7 "$R_LOGS_RGKEY" --argjson r8 "$R_LOGS_RGALL" --argjson r5 "$R_FILES_YARA_CPU" --argjson r6 "$R_LOGS_RG_CPU" \
	--arg t6 "$T_SANITY_FILES" --arg t7 "$T_SANITY_LOGS" --arg t1 "$T_FILES" --arg t2 "$T_LOGS_RG" --arg t3 "$T_LOGS_MBS" --arg t4 "$T_RSS_FILES" --arg t5 "$T_RSS_LOGS" \
	--argjson sp "$shells_planted" --argjson sf "$shells_found" --argjson sy "$shells_yara" --argjson fo "$files_other" \
	--argjson ysf "$yara_shells" --argjson yo "$yara_other" \
	--argjson ap "$attacks_planted" --argjson af "$attacks_found" --argjson lo "$logs_other" --argjson lf "$log_findings" \
	--argjson rgl "$rg_lines" --argjson ineedles "$IOC_NEEDLES" --argjson rgal "$rg_all_lines" --argjson needles "$NEEDLES" --argjson rgkl "$rg_key_lines" --argjson kneedles "$KEY_NEEDLES" --argjson total "$TOTAL" --argjson gen "$GEN_SECONDS" \
	'{date: $date, commit: $commit, versions: {exscan: $exscan, yara: $yara, ripgrep: $rg},
	  machine: {cpu: $cpu, cores: $cores, load_before: $load_before, load_after: $load_after},
	  data: ($manifest[0] | {params, tree_files, tree_bytes, log_files, log_bytes, log_lines}),
	  runs: $runs, warm_cache: true, results: $results,
	  ratios: {wall: {exscan_files_over_yara: $r1, exscan_files_over_cat: $r2, exscan_logs_over_rg: $r3, exscan_logs_over_rg_all: $r8, exscan_logs_over_rg_key: $r7, exscan_logs_over_cat: $r4},
	           cpu: {exscan_files_over_yara: $r5, exscan_logs_over_rg: $r6}},
	  targets: {files_at_most_1_15x_yara: $t1, logs_at_least_half_rg: $t2, logs_at_least_150_mb_s: $t3, rss_files_under_200mb: $t4, rss_logs_under_200mb: $t5,
	           sanity_all_webshells: $t6, sanity_all_attack_lines: $t7},
	  sanity: {webshells_planted: $sp, webshells_reported: $sf, webshells_via_yara: $sy, other_files_reported: $fo,
	           yara_cli_webshells: $ysf, yara_cli_other_files: $yo,
	           attack_lines_planted: $ap, attack_lines_reported: $af, findings_on_other_lines: $lo, log_findings: $lf,
	           rg_matched_lines: $rgl, rg_needles: $ineedles, rg_all_matched_lines: $rgal, rg_all_needles: $needles, rg_key_matched_lines: $rgkl, rg_key_needles: $kneedles},
	  samples: $samples, total_wall_s: $total, generation_s: $gen}' >"$OUT"
say "results: $OUT"
