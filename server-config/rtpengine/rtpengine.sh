#!/usr/bin/env bash
# Starts and stops rtpengine (Debian package `rtpengine-daemon`, 10.5) as the gateway's media relay on
# loopback, with userspace forwarding only (no kernel module).
#
#   rtpengine.sh start RUNDIR [PORT]   start with its ng control socket on 127.0.0.1:PORT (UDP); prints the port
#   rtpengine.sh stop RUNDIR           stop the rtpengine whose PID is in RUNDIR/rtpengine.pid
#
# RUNDIR (e.g. target/rtpengine) receives the pid file and rtpengine.log. Without PORT a free one is
# picked. Media ports come from RTPENGINE_PORT_MIN..RTPENGINE_PORT_MAX (default 30000..30999), the media
# interface from RTPENGINE_INTERFACE (default 127.0.0.1). /etc/rtpengine/rtpengine.conf is not read
# (--config-file=none): its `table = 0` would ask for the kernel module.
set -euo pipefail

cmd="${1:-}"
rundir="${2:-}"
if [ -z "$cmd" ] || [ -z "$rundir" ]; then
  sed -n '2,11p' "$0" >&2
  exit 2
fi
mkdir -p "$rundir"
rundir="$(cd "$rundir" && pwd)"
pidfile="$rundir/rtpengine.pid"

port_in_use() {
  ss -Hlnu "( sport = :$1 )" 2>/dev/null | grep -q .
}

stop() {
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile")"
  # only an rtpengine: the pid may have been reused since
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = rtpengine ]; then
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
  local port="${1:-}"
  command -v rtpengine >/dev/null || {
    echo "rtpengine is not installed (apt-get install rtpengine-daemon)" >&2
    exit 1
  }
  if [ -n "$port" ] && ! [[ "$port" =~ ^[0-9]+$ ]]; then
    echo "PORT must be a number, not $port" >&2
    exit 2
  fi
  local min="${RTPENGINE_PORT_MIN:-30000}" max="${RTPENGINE_PORT_MAX:-30999}"
  local interface="${RTPENGINE_INTERFACE:-127.0.0.1}"
  stop  # an rtpengine left over from an earlier run in this RUNDIR
  if [ -z "$port" ]; then
    # a free UDP port in 20000..39999 outside the media range
    for _ in $(seq 1 50); do
      port=$(( 20000 + RANDOM % 20000 ))
      if [ "$port" -ge "$min" ] && [ "$port" -le "$max" ]; then
        continue
      fi
      port_in_use "$port" || break
    done
  fi
  # --foreground keeps $! the daemon itself; --table=-1: userspace forwarding, no kernel module;
  # --delete-delay=0: a deleted call leaves the call list at once (default 30 s)
  nohup rtpengine --config-file=none --foreground --log-stderr --pidfile="$pidfile" \
    --table=-1 --interface="$interface" --listen-ng="127.0.0.1:$port" \
    --port-min="$min" --port-max="$max" --delete-delay=0 --log-level="${RTPENGINE_LOG_LEVEL:-6}" \
    > "$rundir/rtpengine.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$pidfile"
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "rtpengine exited at start:" >&2
      tail -20 "$rundir/rtpengine.log" >&2
      rm -f "$pidfile"
      exit 1
    fi
    # ready when this rtpengine (not some other process) listens on the ng port
    if grep -q 'Startup complete' "$rundir/rtpengine.log" &&
      ss -Hlnup "( sport = :$port )" 2>/dev/null | grep -q "pid=$pid,"; then
      echo "$port"
      return 0
    fi
    sleep 0.1
  done
  echo "rtpengine did not listen on 127.0.0.1:$port within 10 s" >&2
  stop
  exit 1
}

case "$cmd" in
  start) start "${3:-}" ;;
  stop) stop ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
