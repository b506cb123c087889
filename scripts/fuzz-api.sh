#!/usr/bin/env bash
# API fuzzing, driven by `make fuzz-api`: schemathesis (in .venv-fuzz/, made on first use) runs
# against docs/openapi.json on a live `gloss serve` with a temporary data dir, authenticated.
# Usage: scripts/fuzz-api.sh PATH/TO/gloss [MAX_EXAMPLES]
set -euo pipefail
gloss=$(realpath "$1")
max_examples=${2:-25}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv-fuzz"

if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "== installing schemathesis into .venv-fuzz/"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet schemathesis
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== a server on a free loopback port, one user"
printf 'fuzz-password\n' | "$gloss" serve user add fuzz --data "$work/data"
"$gloss" serve --listen 127.0.0.1:0 --data "$work/data" --rate-limit 1000000 >"$work/stdout" 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 200); do
    url=$(sed -n 's/^listening on //p' "$work/stdout")
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "error: the server did not start (its log follows)" >&2
    cat "$work/server.log" >&2
    exit 1
fi
echo "   $url"

token=$("$venv/bin/python" - "$url" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(
    sys.argv[1] + "/v1/login", method="POST",
    data=json.dumps({"user": "fuzz", "password": "fuzz-password"}).encode(),
    headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(request))["token"])
PY
)

echo "== schemathesis, at most $max_examples examples per operation"
# /v1/logout is left out: it would revoke the token the run uses.
status=0
"$venv/bin/schemathesis" run "$root/docs/openapi.json" \
    --url "$url" \
    --header "Authorization: Bearer $token" \
    --exclude-path /v1/logout \
    --max-examples "$max_examples" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,ignored_auth \
    --seed 1 || status=$?
if grep -qE ' 5[0-9]{2}$' "$work/server.log"; then
    echo "error: the server answered 5xx (its log follows)" >&2
    grep -E ' 5[0-9]{2}$' "$work/server.log" | head -20 >&2
    status=1
fi
exit $status
