#!/usr/bin/env bash
# Starts and stops a throwaway PostgreSQL (Debian package `postgresql`) on loopback for the tests.
#
#   postgres.sh start RUNDIR [PORT]   new cluster on 127.0.0.1:PORT with database and role sipgw; prints the port
#   postgres.sh stop RUNDIR           stop that cluster and delete its data
#
# The cluster lives in a new temporary folder (its path is kept in RUNDIR/datadir) owned by the user that
# runs the server: PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres`
# system user that the Debian package creates. It listens on 127.0.0.1 only (TCP) and on a Unix socket in
# its own folder, trusts connections from loopback (no password exists to leak), and keeps its log in
# RUNDIR/postgres.log. Without PORT a free one is picked.
set -euo pipefail

cmd="${1:-}"
rundir="${2:-}"
if [ -z "$cmd" ] || [ -z "$rundir" ]; then
  sed -n '2,11p' "$0" >&2
  exit 2
fi
mkdir -p "$rundir"
rundir="$(cd "$rundir" && pwd)"

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi

# as root, run the server tools as the postgres user
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  ss -Hln "( sport = :$1 )" 2>/dev/null | grep -q .
}

stop() {
  [ -f "$rundir/datadir" ] || return 0
  local data
  data="$(cat "$rundir/datadir")"
  if [ -f "$data/pgdata/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$data/pgdata" -m fast -w -t 30 stop >> "$rundir/postgres.log" 2>&1 || true
  fi
  if [ -f "$data/server.log" ]; then
    cp "$data/server.log" "$rundir/server.log" || true
  fi
  case "$data" in
    "${TMPDIR:-/tmp}"/sipgw-pg.*) rm -rf "$data" ;;
  esac
  rm -f "$rundir/datadir"
}

start() {
  local port="${1:-}"
  if [ -n "$port" ] && ! [[ "$port" =~ ^[0-9]+$ ]]; then
    echo "PORT must be a number, not $port" >&2
    exit 2
  fi
  stop  # a cluster left over from an earlier run in this RUNDIR
  if [ -z "$port" ]; then
    for _ in $(seq 1 50); do
      port=$(( 20000 + RANDOM % 20000 ))
      port_in_use "$port" || break
    done
  fi
  local data
  data="$(mktemp -d "${TMPDIR:-/tmp}/sipgw-pg.XXXXXX")"
  echo "$data" > "$rundir/datadir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$data"
  fi
  : > "$rundir/postgres.log"
  as_owner "$bindir/initdb" -D "$data/pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >> "$rundir/postgres.log" 2>&1 || { tail -20 "$rundir/postgres.log" >&2; stop; exit 1; }
  # the server's log goes to a file in its own folder (the postgres user may not write to RUNDIR)
  as_owner "$bindir/pg_ctl" -D "$data/pgdata" -l "$data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >> "$rundir/postgres.log" 2>&1 || { cat "$data/server.log" >&2 || true; stop; exit 1; }
  as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE sipgw LOGIN" -c "CREATE DATABASE sipgw OWNER sipgw" \
    >> "$rundir/postgres.log" 2>&1 || { tail -20 "$rundir/postgres.log" >&2; stop; exit 1; }
  echo "$port"
}

case "$cmd" in
  start) start "${3:-}" ;;
  stop) stop ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
