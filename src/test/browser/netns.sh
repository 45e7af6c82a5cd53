# Helpers of the browser tests (run.sh, audio.sh), sourced, not run: the loopback-only network namespace,
# the gateway on Payara Micro with the built WAR, and waiting for it. Expects HERE, ROOT and TARGET.

# Outside the namespace: checks what the test needs, installs playwright-core while the registry can still
# be reached, then re-runs the calling script ("$@" = its path and arguments) in a new network namespace.
# Inside it (SIPGW_BROWSER_NETNS set): brings lo up and fails if any other interface exists.
enter_loopback_namespace() {
  if [ -z "${SIPGW_BROWSER_NETNS:-}" ]; then
    for f in "$TARGET/sipgw.war" "$TARGET/payara-micro.jar"; do
      [ -f "$f" ] || { echo "missing $f: run 'mvn package' first" >&2; exit 1; }
    done
    [ -x /usr/bin/chromium ] || { echo "missing /usr/bin/chromium: apt-get install chromium" >&2; exit 1; }
    [ "$(id -u)" = 0 ] || { echo "run as root: the test needs its own network namespace (unshare --net)" >&2; exit 1; }
    if [ ! -d "$HERE/node_modules/playwright-core" ]; then
      (cd "$HERE" && npm ci --no-audit --no-fund)
    fi
    exec env SIPGW_BROWSER_NETNS=1 unshare --net -- "$@"
  fi
  ip link set lo up
  local others
  others="$(ip -o link show | awk -F': ' '{print $2}' | grep -v '^lo$' || true)"
  if [ -n "$others" ]; then
    echo "the namespace has interfaces besides lo: $others" >&2
    exit 1
  fi
}

# start_gateway RUN_DIR LOG HTTP_PORT SIP_PORT REGISTRAR_PORT [JVM option...]
# Starts the WAR on Payara Micro in the background with a fresh data folder in RUN_DIR and the integration
# tests' accounts; sets SERVER_PID. Extra JVM options (e.g. -Dsipgw.media.relay=rtpengine) go before -jar.
start_gateway() {
  local run_dir="$1" log="$2" http_port="$3" sip_port="$4" registrar_port="$5"
  shift 5
  mkdir -p "$run_dir/tmp"
  java -Xmx768m \
    -Djava.io.tmpdir="$run_dir/tmp" \
    -Dsipgw.data.dir="$run_dir/data" \
    -Dsipgw.db.name="$run_dir/data/sipgw-db" \
    -Dsipgw.sip.port="$sip_port" \
    -Dsipgw.registrar.port="$registrar_port" \
    -Dsipgw.accounts.file="$ROOT/src/test/resources/it-accounts.properties" \
    -Dderby.stream.error.file="$run_dir/derby.log" \
    "$@" \
    -jar "$TARGET/payara-micro.jar" \
    --deploy "$TARGET/sipgw.war" --contextroot / --port "$http_port" --nohazelcast \
    --prebootcommandfile "$ROOT/server-config/pre-boot-commands.asadmin" \
    --postbootcommandfile "$ROOT/server-config/post-boot-commands.asadmin" \
    >"$log" 2>&1 &
  SERVER_PID=$!
}

# Stops the gateway started by start_gateway (by its PID): TERM, up to 30 s, then KILL.
stop_gateway() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
}

# wait_gateway_ready BASE_URL LOG: waits up to 180 s for /health/ready; exits with the log's tail otherwise.
wait_gateway_ready() {
  local base_url="$1" log="$2"
  echo "waiting for $base_url/health/ready (server log: $log)"
  for _ in $(seq 1 180); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "the server exited; last lines of its log:" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    if node -e "fetch('$base_url/health/ready').then(r => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"; then
      return 0
    fi
    sleep 1
  done
  echo "the server did not become ready; last lines of its log:" >&2
  tail -n 40 "$log" >&2
  exit 1
}
