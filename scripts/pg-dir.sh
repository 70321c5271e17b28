# Sourced by ensure-postgres.sh and stop-postgres.sh (from the checkout's root): sets DIR, the
# folder of this checkout's test cluster, and DEFAULT_DIR=1 when no TRACKER_PG_DIR chose it.
#
# The cluster is not kept inside the checkout: the server runs as the postgres OS user, which
# cannot reach a clone whose parent folders it may not enter (root's home, a `mktemp -d`
# folder, both mode 0700), and initdb then fails with "Permission denied". A folder per
# checkout under /var/tmp (else /tmp), named by a hash of the checkout's path, is reachable
# wherever the clone is, and two checkouts never share a cluster.
if [ -n "${TRACKER_PG_DIR:-}" ]; then
  DIR="$TRACKER_PG_DIR"
  DEFAULT_DIR=0
else
  base=/var/tmp
  [ -d "$base" ] && [ -w "$base" ] || base=/tmp
  DIR="$base/tracker-pg-$(printf '%s' "$PWD" | sha256sum | cut -c1-16)"
  DEFAULT_DIR=1
fi
