#!/usr/bin/env bash
# End-to-end test of the web client in headless Chromium (see README, "Web client").
#
# Expects `mvn package` to have built target/sipgw.war and target/payara-micro.jar. Installs the test's
# npm packages (playwright-core) while the registry can still be reached, then re-runs itself in a new
# network namespace that has only the loopback interface: Payara Micro, the embedded SIP server and
# Chromium all live there, so WebRTC's ICE checks can only ever use 127.0.0.1/::1. Starts the WAR with a
# fresh data folder and the integration tests' accounts, waits for /health/ready, runs the test, stops
# the server by its PID and exits non-zero on any failure. Screenshots go to target/browser-screenshots/.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
TARGET="$ROOT/target"

if [ -z "${SIPGW_BROWSER_NETNS:-}" ]; then
  for f in "$TARGET/sipgw.war" "$TARGET/payara-micro.jar"; do
    [ -f "$f" ] || { echo "missing $f: run 'mvn package' first" >&2; exit 1; }
  done
  [ -x /usr/bin/chromium ] || { echo "missing /usr/bin/chromium: apt-get install chromium" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "run as root: the test needs its own network namespace (unshare --net)" >&2; exit 1; }
  if [ ! -d "$HERE/node_modules/playwright-core" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund)
  fi
  exec env SIPGW_BROWSER_NETNS=1 unshare --net -- "$0" "$@"
fi

# --- inside the namespace: loopback only ---
ip link set lo up
others="$(ip -o link show | awk -F': ' '{print $2}' | grep -v '^lo$' || true)"
if [ -n "$others" ]; then
  echo "the namespace has interfaces besides lo: $others" >&2
  exit 1
fi

# The namespace is new, so nothing listens in it: these ports are free.
HTTP_PORT="${SIPGW_BROWSER_HTTP_PORT:-18081}"
SIP_PORT="${SIPGW_BROWSER_SIP_PORT:-15070}"
REGISTRAR_PORT="${SIPGW_BROWSER_REGISTRAR_PORT:-15060}"
SHOTS="$TARGET/browser-screenshots"
RUN_DIR="$TARGET/browser-run"
LOG="$TARGET/browser-server.log"
rm -rf "$RUN_DIR" "$SHOTS"
mkdir -p "$RUN_DIR/tmp" "$SHOTS"

java -Xmx768m \
  -Djava.io.tmpdir="$RUN_DIR/tmp" \
  -Dsipgw.data.dir="$RUN_DIR/data" \
  -Dsipgw.db.name="$RUN_DIR/data/sipgw-db" \
  -Dsipgw.sip.port="$SIP_PORT" \
  -Dsipgw.registrar.port="$REGISTRAR_PORT" \
  -Dsipgw.accounts.file="$ROOT/src/test/resources/it-accounts.properties" \
  -Dderby.stream.error.file="$RUN_DIR/derby.log" \
  -jar "$TARGET/payara-micro.jar" \
  --deploy "$TARGET/sipgw.war" --contextroot / --port "$HTTP_PORT" --nohazelcast \
  --prebootcommandfile "$ROOT/server-config/pre-boot-commands.asadmin" \
  --postbootcommandfile "$ROOT/server-config/post-boot-commands.asadmin" \
  >"$LOG" 2>&1 &
SERVER_PID=$!

stop_server() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
}
trap stop_server EXIT

BASE_URL="http://127.0.0.1:$HTTP_PORT"
echo "waiting for $BASE_URL/health/ready (server log: $LOG)"
ready=""
for _ in $(seq 1 180); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server exited; last lines of its log:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  if node -e "fetch('$BASE_URL/health/ready').then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"; then
    ready=yes
    break
  fi
  sleep 1
done
if [ -z "$ready" ]; then
  echo "the server did not become ready; last lines of its log:" >&2
  tail -n 40 "$LOG" >&2
  exit 1
fi

status=0
SIPGW_BASE_URL="$BASE_URL" SIPGW_REGISTRAR_PORT="$REGISTRAR_PORT" SIPGW_SCREENSHOT_DIR="$SHOTS" \
  timeout 600 node --test --test-reporter=spec --test-timeout=300000 "$HERE/webclient.test.mjs" || status=$?
if [ "$status" != 0 ]; then
  echo "browser test failed ($status); server log: $LOG, screenshots: $SHOTS" >&2
  grep -E 'SEVERE|Exception' "$LOG" | tail -n 20 >&2 || true
fi
exit "$status"
