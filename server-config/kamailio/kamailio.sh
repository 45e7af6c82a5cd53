#!/usr/bin/env bash
# Starts and stops Kamailio (Debian package `kamailio`, 5.6) as the SIP server of a loopback test domain.
#
#   kamailio.sh start RUNDIR [PORT] [ACCOUNTS]   start on 127.0.0.1:PORT (UDP and TCP); prints the port
#   kamailio.sh stop RUNDIR                      stop the Kamailio whose PID is in RUNDIR/kamailio.pid
#
# RUNDIR (e.g. target/kamailio) receives everything it writes: the pid file, the db_text tables made from
# ACCOUNTS (an accounts.properties file: `user@domain.ha1=...`; default server-config/accounts.properties)
# and kamailio.log. Without PORT a free one is picked. Environment: KAMAILIO_MAX_EXPIRES (longest
# registration granted, default 3600), KAMAILIO_REQUEST_AUTH=1 (also challenge INVITE and MESSAGE),
# KAMAILIO_SHM_MB (shared memory, default 1024: 256 ran out under load on 2-core machines).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
rundir="${2:-}"
if [ -z "$cmd" ] || [ -z "$rundir" ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
mkdir -p "$rundir"
rundir="$(cd "$rundir" && pwd)"
pidfile="$rundir/kamailio.pid"

port_in_use() {
  ss -Hln "( sport = :$1 )" 2>/dev/null | grep -q . 
}

stop() {
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

start() {
  local port="${1:-}" accounts="${2:-$here/../accounts.properties}"
  command -v kamailio >/dev/null || { echo "kamailio is not installed (apt-get install kamailio)" >&2; exit 1; }
  [ -f "$accounts" ] || { echo "no accounts file $accounts" >&2; exit 1; }
  if [ -n "$port" ] && ! [[ "$port" =~ ^[0-9]+$ ]]; then
    echo "PORT must be a number, not $port" >&2
    exit 2
  fi
  stop  # a Kamailio left over from an earlier run in this RUNDIR
  if [ -z "$port" ]; then
    for _ in $(seq 1 50); do
      port=$(( 20000 + RANDOM % 20000 ))
      port_in_use "$port" || break
    done
  fi

  # db_text tables: version (subscriber:7) and subscriber (HA1 only, realm = domain) from the accounts file
  local db="$rundir/db"
  rm -rf "$db"
  mkdir -p "$db"
  printf 'table_name(string) table_version(int)\nsubscriber:7\n' > "$db/version"
  {
    echo 'id(int,auto) username(string) domain(string) password(string,null) ha1(string) ha1b(string,null)'
    grep -E '^[^#].*@.*\.ha1=' "$accounts" | sed -E 's/^([^@]+)@(.+)\.ha1=([0-9a-fA-F]{32})\s*$/\1 \2 \3/' |
      awk '{ printf "%d:%s:%s::%s:\n", NR, $1, $2, tolower($3) }'
  } > "$db/subscriber"

  local defines=(-A "DBURL=\"text://$db\"" -A "MAX_EXPIRES=${KAMAILIO_MAX_EXPIRES:-3600}")
  if [ "${KAMAILIO_REQUEST_AUTH:-0}" = 1 ]; then
    defines+=(-A WITH_REQUEST_AUTH)
  fi
  kamailio -c -f "$here/kamailio.cfg" "${defines[@]}" -L /usr/lib/x86_64-linux-gnu/kamailio/modules \
    > "$rundir/kamailio-check.log" 2>&1 || { cat "$rundir/kamailio-check.log" >&2; exit 1; }
  # -DD: stay in the foreground (so $! is the main process); -E: log to stderr, here the log file
  nohup kamailio -DD -E -f "$here/kamailio.cfg" "${defines[@]}" \
    -L /usr/lib/x86_64-linux-gnu/kamailio/modules -Y "$rundir" \
    -l "udp:127.0.0.1:$port" -l "tcp:127.0.0.1:$port" -m "${KAMAILIO_SHM_MB:-1024}" -M 16 \
    > "$rundir/kamailio.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
  for _ in $(seq 1 100); do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "kamailio exited at start:" >&2
      tail -20 "$rundir/kamailio.log" >&2
      rm -f "$pidfile"
      exit 1
    fi
    if ss -Hlnu "( sport = :$port )" | grep -q . && ss -Hlnt "( sport = :$port )" | grep -q .; then
      echo "$port"
      return 0
    fi
    sleep 0.1
  done
  echo "kamailio did not listen on 127.0.0.1:$port within 10 s" >&2
  stop
  exit 1
}

case "$cmd" in
  start) start "${3:-}" "${4:-}" ;;
  stop) stop ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
