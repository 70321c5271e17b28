#!/usr/bin/env bash
# Stop the private test server started by scripts/ensure-postgres.sh (if it runs from here).
set -u
cd "$(dirname "$0")/.."
DATA="${TRACKER_PG_DIR:-$PWD/build/pg}/data"
[ -s "$DATA/postmaster.pid" ] || exit 0
for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ "$(id -un)" = "postgres" ]; then
    "$bin/pg_ctl" -D "$DATA" -m fast stop >/dev/null
  else
    runuser -u postgres -- "$bin/pg_ctl" -D "$DATA" -m fast stop >/dev/null
  fi
  exit 0
done
