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

# shellcheck source=netns.sh
. "$HERE/netns.sh"
enter_loopback_namespace "$0" "$@"

# --- inside the namespace: loopback only ---
# The namespace is new, so nothing listens in it: these ports are free.
HTTP_PORT="${SIPGW_BROWSER_HTTP_PORT:-18081}"
SIP_PORT="${SIPGW_BROWSER_SIP_PORT:-15070}"
REGISTRAR_PORT="${SIPGW_BROWSER_REGISTRAR_PORT:-15060}"
SHOTS="$TARGET/browser-screenshots"
RUN_DIR="$TARGET/browser-run"
LOG="$TARGET/browser-server.log"
rm -rf "$RUN_DIR" "$SHOTS"
mkdir -p "$RUN_DIR/tmp" "$SHOTS"

start_gateway "$RUN_DIR" "$LOG" "$HTTP_PORT" "$SIP_PORT" "$REGISTRAR_PORT"
trap stop_gateway EXIT

BASE_URL="http://127.0.0.1:$HTTP_PORT"
wait_gateway_ready "$BASE_URL" "$LOG"

status=0
SIPGW_BASE_URL="$BASE_URL" SIPGW_REGISTRAR_PORT="$REGISTRAR_PORT" SIPGW_SCREENSHOT_DIR="$SHOTS" \
  timeout 600 node --test --test-reporter=spec --test-timeout=300000 "$HERE/webclient.test.mjs" || status=$?
if [ "$status" != 0 ]; then
  echo "browser test failed ($status); server log: $LOG, screenshots: $SHOTS" >&2
  grep -E 'SEVERE|Exception' "$LOG" | tail -n 20 >&2 || true
fi
exit "$status"
