#!/usr/bin/env bash
# The end-to-end demo, driven by `make demo`. Usage: scripts/demo.sh PATH/TO/gloss
set -euo pipefail
gloss=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GLOSS_HOME="$work/laptop" NO_COLOR=1
step() { printf '\n== %s\n' "$*"; }

step "A new library"
"$gloss" init
step "A note, taken offline"
id=$("$gloss" note add "Japan's soft approach to ASEAN: worth rereading." --tag asean)
"$gloss" note show "${id:0:8}"
