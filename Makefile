# Gloss — see README.md. `make demo` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
APT_PACKAGES := pkg-config libsqlite3-dev libcurl4-openssl-dev libxml2-dev zlib1g-dev ca-certificates openssl python3 python3-venv
SWIFT ?= swift
# The extraction benchmark's pages (third-party content, never committed).
BENCH_DIR ?= ../shared/extraction-bench

.PHONY: deps build test demo bench fuzz-api clean

deps:
	@scripts/deps.sh $(APT_PACKAGES)

build: deps
	$(SWIFT) build

# The tests start what they need themselves: a throwaway PostgreSQL cluster on loopback (for the
# server's PostgreSQL store), servers on loopback ports, libraries in temporary folders.
test: deps
	$(SWIFT) build --build-tests
	scripts/with-postgres.sh $(SWIFT) test

demo: deps
	$(SWIFT) build -c release --product gloss
	scripts/demo.sh .build/release/gloss

bench: deps
	$(SWIFT) build -c release --product gloss
	$(SWIFT) build -c release --product Benchmarks
	scripts/with-postgres.sh .build/release/Benchmarks --extraction-bench "$(BENCH_DIR)" $(BENCH_ARGS)

# API fuzzing: schemathesis against docs/openapi.json on a live server (FUZZ_EXAMPLES per operation).
FUZZ_EXAMPLES ?= 25
fuzz-api: deps
	$(SWIFT) build --product gloss
	scripts/fuzz-api.sh .build/debug/gloss $(FUZZ_EXAMPLES)

clean:
	rm -rf .build
