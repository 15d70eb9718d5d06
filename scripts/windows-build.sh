#!/usr/bin/env bash
# windows-build: cross-compiles bin/exscan.exe (64-bit Windows console
# program) with a static libyara built for x86_64-w64-mingw32.
#
#   bash scripts/windows-build.sh            (make windows)
#   YARA_TARBALL=path/to/yara-4.2.3.tar.gz bash scripts/windows-build.sh
#
# Installs Debian's mingw-w64 cross compiler and autotools when missing.
# The YARA source comes from YARA_TARBALL, else from github.com/VirusTotal/yara
# (tag v4.2.3); either way its extracted tree must match YARA_TREE_SHA256 (the
# sha256 of the sorted list of per-file sha256 sums), so the archive's own
# bytes (which depend on the gzip that made it) do not matter.
# libyara is built once into a cache outside the repository
# (EXSCAN_CACHE, default ${XDG_CACHE_HOME:-~/.cache}/exscan), keyed by that
# tree hash and the compiler version: a second run only builds exscan.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
GO=${GO:-go}
HOST=x86_64-w64-mingw32
YARA_VERSION=4.2.3
YARA_URL=${YARA_URL:-https://github.com/VirusTotal/yara/archive/refs/tags/v$YARA_VERSION.tar.gz}
YARA_TREE_SHA256=0af8bae78bdf91cb32bff35f35c9b2cc0c2916b97a24387fa3a4bee9ad49f8da
OUT=${OUT:-bin/exscan.exe}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}

say() { echo "windows-build: $*" >&2; }

DEPS_NO_RECOMMENDS=1 bash scripts/deps.sh "$HOST-gcc:gcc-mingw-w64-x86-64" autoconf automake "libtoolize:libtool" make pkg-config

# tree_hash DIR: the sha256 of the sorted per-file sha256 list of DIR.
tree_hash() {
	(cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

cc_version=$($HOST-gcc -dumpversion)
cache=${EXSCAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/exscan}
prefix="$cache/libyara-$YARA_VERSION-$HOST-gcc$cc_version-${YARA_TREE_SHA256:0:16}"

if [ ! -f "$prefix/lib/libyara.a" ]; then
	mkdir -p "$cache"
	work=$(mktemp -d "$cache/build.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	tarball=${YARA_TARBALL:-}
	if [ -z "$tarball" ]; then
		say "downloading $YARA_URL (set YARA_TARBALL=PATH to use a local copy)"
		tarball="$work/yara.tar.gz"
		if command -v curl >/dev/null 2>&1; then
			curl -fsSL --retry 3 -o "$tarball" "$YARA_URL"
		else
			wget -q -O "$tarball" "$YARA_URL"
		fi
	fi
	[ -f "$tarball" ] || { say "YARA_TARBALL=$tarball: no such file"; exit 1; }
	mkdir "$work/src"
	tar -xzf "$tarball" -C "$work/src"
	src=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d | head -n1)
	got=$(tree_hash "$src")
	if [ "$got" != "$YARA_TREE_SHA256" ]; then
		say "the YARA source in $tarball is not YARA $YARA_VERSION as pinned: tree hash $got, want $YARA_TREE_SHA256"
		exit 1
	fi
	say "building static libyara $YARA_VERSION for $HOST (gcc $cc_version) into $prefix"
	log="$work/build.log"
	if ! (
		cd "$src" &&
			./bootstrap.sh &&
			./configure --host=$HOST --prefix="$prefix" --disable-shared --enable-static --without-crypto &&
			make -j"$(nproc)" &&
			make install DESTDIR="$work/dest"
	) >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		say "libyara build failed (log above)"
		exit 1
	fi
	# Publish atomically: a concurrent build of the same key loses the rename
	# race harmlessly.
	mv -T "$work/dest$prefix" "$prefix" 2>/dev/null || [ -f "$prefix/lib/libyara.a" ]
	rm -rf "$work"
	trap - EXIT
fi

say "building $OUT ($VERSION)"
mkdir -p "$(dirname "$OUT")"
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$HOST-gcc \
	PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH= \
	$GO build -trimpath -tags yara_static -ldflags "-s -w -X exscan/scanner.Version=$VERSION" -o "$OUT" ./cmd/exscan
ls -l "$OUT" >&2
