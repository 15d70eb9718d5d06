#!/usr/bin/env bash
# Builds Velociraptor (without its web GUI) from the Go module proxy and
# prints the binary's path. The binary is cached outside the repository, so
# a second run takes seconds:
#
#   bash scripts/velociraptor.sh            -> prints the binary path
#
# Cache: $EXSCAN_VELOCIRAPTOR (a binary to use as is), else
# ${XDG_CACHE_HOME:-$HOME/.cache}/exscan/velociraptor-$VELOCIRAPTOR_VERSION.
# Cold build: about 7 CPU minutes (23 minutes of wall time measured on a
# 2-core machine busy with other builds), up to 1.2 GB of memory while
# linking, a 100 MB binary.
# No Velociraptor source is kept: the module is copied to a temporary folder,
# its embedded files are generated there (fileb0x), built, and the folder
# removed.
set -euo pipefail
export PATH="$PATH:/usr/local/go/bin"
GO=${GO:-go}
VELOCIRAPTOR_VERSION=${VELOCIRAPTOR_VERSION:-v0.75.2}
module=www.velocidex.com/golang/velociraptor

if [ -n "${EXSCAN_VELOCIRAPTOR:-}" ]; then
	if [ ! -x "$EXSCAN_VELOCIRAPTOR" ]; then
		echo "velociraptor: EXSCAN_VELOCIRAPTOR=$EXSCAN_VELOCIRAPTOR is not an executable file" >&2
		exit 1
	fi
	echo "$EXSCAN_VELOCIRAPTOR"
	exit 0
fi

cache=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/exscan
bin=$cache/velociraptor-$VELOCIRAPTOR_VERSION
if [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; then
	echo "$bin"
	exit 0
fi
mkdir -p "$cache"

work=$(mktemp -d "${TMPDIR:-/tmp}/exscan-velociraptor.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
start=$(date +%s)
echo "velociraptor: building $module@$VELOCIRAPTOR_VERSION in $work (minutes: 7 CPU minutes on 2 cores)" >&2

# A module path under the Go module proxy needs no go.mod of ours: download
# it from a throwaway module folder so the repository's go.mod is untouched.
dir=$(cd "$work" && $GO mod download -json "$module@$VELOCIRAPTOR_VERSION" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
	echo "velociraptor: go mod download $module@$VELOCIRAPTOR_VERSION gave no folder" >&2
	exit 1
fi
src=$work/src
cp -r "$dir" "$src"
chmod -R u+w "$src"

# The web GUI is a separate npm build; the command line and the client
# artifacts do not need it. One page stands in for it.
mkdir -p "$src/gui/velociraptor/build"
echo '<html><body>Velociraptor GUI not built</body></html>' >"$src/gui/velociraptor/build/index.html"

(
	cd "$src"
	for y in artifacts/b0x.yaml config/b0x.yaml crypto/b0x.yaml gui/velociraptor/b0x.yaml; do
		$GO run github.com/Velocidex/fileb0x "$y" >/dev/null
	done
	$GO build -o "$bin.$$.tmp" -tags " server_vql extras " ./bin
)
# Renamed into place whole: a concurrent build or check never sees half a file.
mv "$bin.$$.tmp" "$bin"
"$bin" version >/dev/null
echo "velociraptor: built $bin in $(($(date +%s) - start))s" >&2
echo "$bin"
