# exscan: build, demo, tests, benchmarks. Every target installs what it
# needs first (scripts/deps.sh), so a fresh Debian machine needs nothing else.
export PATH := $(PATH):/usr/local/go/bin
GO      ?= go
BIN     := bin/exscan
CI_FUZZTIME ?= 3s
FUZZTIME ?= 30s
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X exscan/scanner.Version=$(VERSION)

.PHONY: all deps build demo test bench eval fuzz report-check windows windows-check clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/exscan

# The main job on the built-in demo host: a fake C: drive with an Exchange
# install, IIS logs and planted indicators. exscan exits 1 because it finds them.
demo: build
	@./$(BIN) scan --root testdata/demo/C --format text; code=$$?; \
	echo; echo "exscan exit code: $$code (1 = findings at or above --fail-on medium: the demo host is compromised on purpose)"; \
	exit $$code

test: deps
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod/go.sum are not tidy: run 'go mod tidy' and commit the result" >&2; $(GO) mod tidy -diff; exit 1; }
	$(GO) vet ./...
	$(GO) run ./scripts/limits
	$(GO) test -count=1 ./...
	bash scripts/fuzz.sh $(CI_FUZZTIME)

bench: build
	@bash scripts/bench.sh
	@bash scripts/bench-evtx.sh

eval: build
	@bash scripts/eval.sh

fuzz: deps
	@bash scripts/fuzz.sh $(FUZZTIME)

# Renders the demo host's HTML report in headless Chromium to a PNG and
# fails on console errors (installs chromium when missing).
report-check: deps
	@bash scripts/report-check.sh

# bin/exscan.exe for 64-bit Windows: mingw-w64 and a static libyara built
# once (cached outside the tree). YARA_TARBALL=PATH uses a local YARA
# 4.2.3 source archive instead of downloading it.
windows:
	@VERSION='$(VERSION)' bash scripts/windows-build.sh

# Builds bin/exscan.exe and checks it under wine against the Linux build
# (demo host, hostile tree, live C: drive, watch); installs wine.
windows-check:
	@VERSION='$(VERSION)' bash scripts/windows-check.sh

# Runs the Velociraptor artifacts (deploy/velociraptor) in a real Velociraptor,
# built from the Go module proxy and cached outside the repository, against
# the demo host, and checks their rows against exscan's own JSON Lines.
.PHONY: fleet-check
fleet-check: deps
	@bash scripts/fleet-check.sh

clean:
	rm -rf bin
