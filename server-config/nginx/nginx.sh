#!/usr/bin/env bash
# Starts and stops nginx (Debian package `nginx`) in front of a cluster of gateways, as the current user,
# with everything it writes in RUNDIR (no system nginx service is used or touched).
#
#   nginx.sh start RUNDIR PORT ROUTE=HOST:PORT...   nginx on 127.0.0.1:PORT in front of the members; prints the port
#   nginx.sh config RUNDIR PORT ROUTE=HOST:PORT...  only writes RUNDIR/nginx.conf (and checks it with nginx -t)
#   nginx.sh stop RUNDIR                            stops that nginx (logs stay in RUNDIR)
#
# Each member is ROUTE=HOST:PORT: its HTTP listener and the route name it was given
# (sipgw.cluster.route), e.g. a=127.0.0.1:8081 b=127.0.0.1:8082. PORT may be ADDRESS:PORT; a bare port
# listens on 127.0.0.1. The configuration is sipgw.conf.template beside this script, filled in: see README
# "Load balancer (nginx)". nginx keeps its pid, logs (error.log, access.log) and temp files in RUNDIR.
set -euo pipefail

cmd="${1:-}"
rundir="${2:-}"
usage() { sed -n '2,13p' "$0" >&2; exit 2; }
[ -n "$cmd" ] && [ -n "$rundir" ] || usage
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$rundir"
rundir="$(cd "$rundir" && pwd)"

nginx_bin="$(command -v nginx || true)"
[ -n "$nginx_bin" ] || nginx_bin=/usr/sbin/nginx
if [ ! -x "$nginx_bin" ]; then
  echo "nginx is not installed (apt-get install nginx)" >&2
  exit 1
fi

write_config() {
  local listen="$1"
  shift
  [ $# -gt 0 ] || { echo "no members given (ROUTE=HOST:PORT)" >&2; exit 2; }
  if [[ "$listen" =~ ^[0-9]+$ ]]; then
    listen="127.0.0.1:$listen"
  elif ! [[ "$listen" =~ ^[^[:space:]\;{}\'\"]+:[0-9]+$ ]]; then
    echo "PORT must be a port or ADDRESS:PORT, not $listen" >&2
    exit 2
  fi
  local routes=() servers=() m
  for m in "$@"; do
    if ! [[ "$m" =~ ^([A-Za-z0-9_-]{1,32})=([^[:space:]\;{}\'\"]+:[0-9]+)$ ]]; then
      echo "a member is ROUTE=HOST:PORT (route: letters, digits, '-', '_'), not $m" >&2
      exit 2
    fi
    routes+=("${BASH_REMATCH[1]}")
    servers+=("${BASH_REMATCH[2]}")
  done
  local upstreams="" map="" i j
  # max_fails=1 fail_timeout=5s: one failed connect or answer takes a member out for 5 s (then one request
  # tries it again); keepalive: idle HTTP/1.1 connections kept per worker, closed before Payara's own
  # 30 s idle timeout would close them under a request
  local opts="max_fails=1 fail_timeout=5s"
  for i in "${!routes[@]}"; do
    upstreams+="    upstream sipgw_${routes[$i]} {"$'\n'
    upstreams+="        server ${servers[$i]} $opts;"$'\n'
    for j in "${!routes[@]}"; do
      [ "$i" = "$j" ] || upstreams+="        server ${servers[$j]} $opts backup;"$'\n'
    done
    upstreams+="        keepalive 16;"$'\n'"        keepalive_timeout 15s;"$'\n'"    }"$'\n'
    map+="        ${routes[$i]} sipgw_${routes[$i]};"$'\n'
  done
  upstreams+="    upstream sipgw_all {"$'\n'
  for i in "${!routes[@]}"; do
    upstreams+="        server ${servers[$i]} $opts;"$'\n'
  done
  upstreams+="        keepalive 16;"$'\n'"        keepalive_timeout 15s;"$'\n'"    }"
  mkdir -p "$rundir/temp"
  TEMPLATE="$here/sipgw.conf.template" PREFIX="$rundir" LISTEN="$listen" UPSTREAMS="$upstreams" ROUTES="${map%$'\n'}" \
    python3 - > "$rundir/nginx.conf" <<'PY'
import os
text = open(os.environ["TEMPLATE"], encoding="utf-8").read()
for key in ("PREFIX", "LISTEN", "UPSTREAMS", "ROUTES"):
    text = text.replace("@@" + key + "@@", os.environ[key])
print(text, end="")
PY
  "$nginx_bin" -t -q -p "$rundir" -e "$rundir/error.log" -c "$rundir/nginx.conf" 2>&1 >&2 || {
    echo "nginx refused $rundir/nginx.conf" >&2
    exit 1
  }
}

running_pid() {
  [ -f "$rundir/nginx.pid" ] || return 1
  local pid
  pid="$(cat "$rundir/nginx.pid")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop() {
  local pid
  pid="$(running_pid)" || { rm -f "$rundir/nginx.pid"; return 0; }
  kill -QUIT "$pid"  # graceful: finish what is in flight
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$rundir/nginx.pid"; return 0; }
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  rm -f "$rundir/nginx.pid"
}

start() {
  local port="${1:-}"
  [ -n "$port" ] || usage
  shift
  stop  # one left over from an earlier run in this RUNDIR
  write_config "$port" "$@"
  : > "$rundir/error.log"
  "$nginx_bin" -p "$rundir" -e "$rundir/error.log" -c "$rundir/nginx.conf" || { tail -20 "$rundir/error.log" >&2; exit 1; }
  for _ in $(seq 1 50); do
    running_pid >/dev/null && { echo "${port##*:}"; return 0; }
    sleep 0.1
  done
  echo "nginx did not start; see $rundir/error.log" >&2
  tail -20 "$rundir/error.log" >&2
  exit 1
}

case "$cmd" in
  start) shift 2; start "$@" ;;
  config) shift 2; [ $# -ge 1 ] || usage; write_config "$@"; echo "$rundir/nginx.conf" ;;
  stop) stop ;;
  *) usage ;;
esac
