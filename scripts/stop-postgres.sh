#!/usr/bin/env bash
# Stop the private test server started by scripts/ensure-postgres.sh for this checkout (if it
# runs). With --remove (make clean), also delete its cluster folder, when it is the default
# per-checkout one (a TRACKER_PG_DIR is the user's to delete). A cluster left under build/pg
# by an older checkout is stopped too.
set -u
cd "$(dirname "$0")/.."
. scripts/pg-dir.sh

stop() {
  local data="$1/data" bin
  [ -s "$data/postmaster.pid" ] || return 0
  for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ "$(id -un)" = "postgres" ]; then
      (cd / && "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null)
    else
      (cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null)
    fi
    return
  done
}

stop "$DIR"
stop "$PWD/build/pg"
if [ "${1:-}" = "--remove" ] && [ "$DEFAULT_DIR" = 1 ] && [ -d "$DIR" ]; then
  rm -rf "$DIR"
fi
