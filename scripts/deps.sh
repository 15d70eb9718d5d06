#!/usr/bin/env bash
# Installs what building exscan needs and is missing: Go's cgo toolchain
# (gcc, pkg-config) and Debian's libyara-dev (YARA 4.2). Prints what it does.
set -euo pipefail

need=()
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if ! pkg-config --exists yara 2>/dev/null && [ ! -f /usr/include/yara.h ]; then
	need+=(libyara-dev)
fi
# arguments: commands to have, as COMMAND or COMMAND:PACKAGE
for p in "$@"; do
	command -v "${p%%:*}" >/dev/null 2>&1 || need+=("${p#*:}")
done
[ ${#need[@]} -eq 0 ] && exit 0

echo "exscan: installing missing packages: ${need[*]}" >&2
if ! command -v apt-get >/dev/null 2>&1; then
	echo "exscan: no apt-get here; install ${need[*]} (YARA 4.2 development files) by hand, then run make again" >&2
	exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "exscan: need root to run apt-get install ${need[*]}; run it as root, then make again" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# DEPS_NO_RECOMMENDS=1: only what the packages depend on (wine's
# recommendations are hundreds of megabytes a headless check never uses).
flags=()
[ -n "${DEPS_NO_RECOMMENDS:-}" ] && flags+=(--no-install-recommends)
$sudo apt-get install -y -qq "${flags[@]}" "${need[@]}" >/dev/null
echo "exscan: installed ${need[*]}" >&2
