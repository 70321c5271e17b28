#!/usr/bin/env bash
# A private PostgreSQL server for the test suite: Debian's server package (installed when
# missing), a throw-away cluster owned by the postgres OS user in a folder of its own per
# checkout (/var/tmp/tracker-pg-<hash of the checkout's path>, see scripts/pg-dir.sh),
# listening on 127.0.0.1 only, on a fixed uncommon port, with a role and database for the tests.
#
# Idempotent: when a server already answers on the port, it only makes sure the role and the
# database exist. Where PostgreSQL cannot be installed (not root, no apt-get, install failed)
# it says so and exits 0: the PostgreSQL tests are then skipped with that reason. A server
# that is installed but does not start is an error (exit 1), so CI never skips silently.
#
# Settings (environment): TRACKER_PG_PORT (default 54329), TRACKER_PG_DIR (default above).
# The tests connect to postgresql+psycopg://tracker:tracker@127.0.0.1:$TRACKER_PG_PORT/tracker_test
set -u
cd "$(dirname "$0")/.."
PORT="${TRACKER_PG_PORT:-54329}"
. scripts/pg-dir.sh
DATA="$DIR/data"
LOG="$DIR/server.log"
ROLE=tracker
DBNAME=tracker_test

say() { echo "ensure-postgres: $*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

as_postgres() {
  # From /: the checkout may be a folder the postgres user cannot enter.
  if [ "$(id -un)" = "postgres" ]; then
    (cd / && "$@")
  elif command -v runuser >/dev/null 2>&1; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
  fi
}

psql_admin() {
  # Superuser connection over the cluster's own socket (peer auth as the postgres OS user).
  as_postgres "$BIN/psql" -h "$DIR/run" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -tAq "$@"
}

ensure_role_and_db() {
  psql_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE' CREATEDB;
      END IF;
    END \$\$;" || return 1
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE $DBNAME OWNER $ROLE" || return 1
  fi
}

BIN="$(find_bindir)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    say "PostgreSQL is not installed and this user cannot install it (needs root and apt-get);"
    say "the PostgreSQL tests will be skipped"
    exit 0
  fi
  say "installing Debian's postgresql server package"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq postgresql; } >/tmp/ensure-postgres.log 2>&1
  then
    say "install failed (see /tmp/ensure-postgres.log); the PostgreSQL tests will be skipped"
    exit 0
  fi
  BIN="$(find_bindir)" || { say "installed, but no initdb found"; exit 1; }
fi

if ! id postgres >/dev/null 2>&1; then
  say "no 'postgres' OS user (PostgreSQL refuses to run as root); the tests will be skipped"
  exit 0
fi

# Already running (this checkout's cluster, or another one on the same port): reuse it.
if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  if [ -d "$DIR/run" ] && ensure_role_and_db; then
    exit 0
  fi
  say "a server answers on 127.0.0.1:$PORT; assuming it is a tracker test server"
  exit 0
fi

mkdir -p "$DIR/run"
chown postgres: "$DIR" "$DIR/run"
chmod 0700 "$DIR"
if ! as_postgres test -w "$DIR/run"; then
  say "the postgres user cannot write to $DIR (set TRACKER_PG_DIR to a folder it can reach)"
  exit 1
fi
if [ ! -s "$DATA/PG_VERSION" ]; then
  say "creating a test cluster in $DATA"
  rm -rf "$DATA"
  as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { say "initdb failed (see $DIR/initdb.log)"; exit 1; }
  # A disposable test cluster: durability buys nothing here and costs seconds per test run.
  cat >>"$DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR/run'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
fi
touch "$LOG" && chown postgres: "$LOG"
if ! as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null; then
  say "the server did not start (see $LOG)"
  exit 1
fi
ensure_role_and_db || { say "could not create the test role/database"; exit 1; }
say "PostgreSQL running on 127.0.0.1:$PORT (data in $DATA)"
