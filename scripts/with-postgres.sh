#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on a loopback port, then stops the cluster
# and deletes it — also when the command fails or is interrupted.
# Usage: scripts/with-postgres.sh COMMAND [ARG...]
# Exports to the command:
#   GLOSS_TEST_DATABASE_URL  postgres://gloss:PASSWORD@127.0.0.1:PORT/gloss_test
#   GLOSS_TEST_PGDATA, GLOSS_TEST_PGBIN, GLOSS_TEST_PGUSER  (to restart the cluster in tests:
#     runuser -u $GLOSS_TEST_PGUSER -- $GLOSS_TEST_PGBIN/pg_ctl -D $GLOSS_TEST_PGDATA restart -w)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  "$here/deps.sh" postgresql
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# initdb and pg_ctl refuse to run as root: run them as `postgres` when we are root.
if [ "$(id -u)" -eq 0 ]; then
  pguser=postgres
  as_pg() { runuser -u postgres -- "$@"; }
else
  pguser=$(id -un)
  as_pg() { "$@"; }
fi

dir=$(mktemp -d /tmp/gloss-pg.XXXXXX)
chmod 0755 "$dir"
[ "$(id -u)" -eq 0 ] && chown "$pguser" "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')

cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

printf '%s\n' "$password" > "$dir/pwfile"
[ "$(id -u)" -eq 0 ] && chown "$pguser" "$dir/pwfile"
as_pg "$pgbin/initdb" -D "$dir/data" -U gloss --pwfile="$dir/pwfile" --auth=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
PGPASSWORD=$password "$pgbin/psql" -h 127.0.0.1 -p "$port" -U gloss -d postgres -qc "CREATE DATABASE gloss_test" >/dev/null

export GLOSS_TEST_DATABASE_URL="postgres://gloss:$password@127.0.0.1:$port/gloss_test"
export GLOSS_TEST_PGDATA="$dir/data" GLOSS_TEST_PGBIN="$pgbin" GLOSS_TEST_PGUSER="$pguser"
echo "postgres: throwaway cluster on 127.0.0.1:$port"
set +e
"$@"
status=$?
exit $status
