#!/usr/bin/env bash
# `make demo`: two libraries ("laptop" and "desktop") sync through a Gloss server on loopback.
# Usage: scripts/demo.sh PATH/TO/gloss. Everything lives in a temporary folder, removed at the end;
# the server and the page server are stopped on exit, also on failure.
set -euo pipefail
gloss=$(realpath "$1")
fixtures=$(cd "$(dirname "$0")/../Tests/Fixtures/samples" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export NO_COLOR=1 PAGER=cat
step() { printf '\n== %s\n' "$*"; }
laptop() { GLOSS_HOME="$work/laptop" "$gloss" "$@"; }
desktop() { GLOSS_HOME="$work/desktop" "$gloss" "$@"; }
# Waits until FILE has a line matching PATTERN (the process writing it is PID); prints the line.
wait_for_line() {
    local file=$1 pattern=$2 pid=$3
    for _ in $(seq 1 600); do
        if line=$(grep -m1 -E "$pattern" "$file" 2>/dev/null); then echo "$line"; return 0; fi
        kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; return 1; }
        sleep 0.05
    done
    echo "timed out waiting for $pattern in $file" >&2
    return 1
}

step "A sync server on loopback, with one account"
printf 'demo-password\n' | "$gloss" serve user add reader --data "$work/server"
LOG_LEVEL=warning "$gloss" serve --listen 127.0.0.1:0 --data "$work/server" >"$work/server.out" 2>"$work/server.err" &
pids+=($!)
server=$(wait_for_line "$work/server.out" '^listening on ' "${pids[-1]}")
url=${server#listening on }
echo "server: $url (data in a temporary folder)"

step "Two libraries, laptop and desktop, each logged in"
for lib in laptop desktop; do
    GLOSS_HOME="$work/$lib" "$gloss" remote add home "$url"
    printf 'demo-password\n' | GLOSS_HOME="$work/$lib" "$gloss" login home --user reader
done

step "The laptop imports an article and highlights a passage"
# The sample page, served over loopback HTTP on a free port.
(cd "$fixtures" && exec python3 -u -m http.server --bind 127.0.0.1 0) >"$work/pages.out" 2>&1 &
pids+=($!)
pages=$(wait_for_line "$work/pages.out" 'Serving HTTP on' "${pids[-1]}")
port=$(sed -E 's/.*port ([0-9]+).*/\1/' <<<"$pages")
page="http://127.0.0.1:$port/japan-asean-soft-diplomacy.html"
article=$(laptop import "$page" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "imported $page → article ${article:0:8}"
laptop note add "The core diagnosis: consensus lets ASEAN veto, not lead." \
    --article "$article" --quote "ASEAN has become a backseat driver" --tag asean >/dev/null
echo "highlighted \"ASEAN has become a backseat driver\" with a note"

step "Both sync, then take notes offline"
laptop sync home
desktop sync home
laptop note add "Laptop, offline: compare with the EU's unanimity rule." --tag asean >/dev/null
desktop note add "Desktop, offline: find the 2023 Japan–ASEAN summit statement." --tag todo >/dev/null
laptop status

step "Back online: sync both ways"
laptop sync home
desktop sync home
laptop sync home

step "The two libraries are identical"
for what in "list" "note list" "tags"; do
    # shellcheck disable=SC2086
    if diff <(laptop $what --json) <(desktop $what --json) >/dev/null; then
        echo "gloss $what: identical"
    else
        echo "gloss $what: DIFFERENT" >&2
        diff <(laptop $what --json) <(desktop $what --json) >&2 || true
        exit 1
    fi
done
echo "-- gloss read on the desktop (first lines, then the highlighted passage):"
desktop read "${article:0:8}" >"$work/read.txt"
head -n 4 "$work/read.txt"
echo "   …"
grep -n -m1 -A4 "backseat driver" "$work/read.txt" | sed -E 's/^[0-9]+[:-]//'
echo "-- notes on the desktop:"
desktop note list

step "Done: stopping the server"
