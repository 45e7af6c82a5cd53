#!/usr/bin/env bash
# The authenticated no-op request of issue 15 (GET /api/auth/profile with a valid token), on a fresh gateway:
# wrk (16 connections, one thread) for WARM seconds unmeasured, then ROUNDS rounds of SECONDS each, with the
# server's CPU per request from /proc (all threads, JIT included). Not part of the test run; results in
# docs/benchmarks.md (sixth round). BENCH_JFR=1 also records a JFR profile (2 ms sampling) to
# target/bench-profile/rec.jfr, for bench/tools/JfrFlame.java; BENCH_JAVA_OPTS adds server JVM options.
# Usage: bench/profile-endpoint.sh [seconds=10] [rounds=3] [warm=15]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}; ROUNDS=${2:-3}; WARM=${3:-15}
HTTP_PORT=${BENCH_HTTP_PORT:-18481}; SIP_PORT=${BENCH_SIP_PORT:-15481}; REGISTRAR_PORT=${BENCH_REGISTRAR_PORT:-15381}
WORK=target/bench-profile
rm -rf "$WORK" && mkdir -p "$WORK/data"
command -v wrk > /dev/null || { echo "needs wrk (apt-get install wrk)"; exit 2; }
mvn -q -B -DskipTests package
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_accounts "$WORK/accounts.properties" 1
JFR_OPTS=()
if [ -n "${BENCH_JFR:-}" ]; then
  sed 's|<setting name="period" control="method-sampling-java-interval">10 ms</setting>|<setting name="period" control="method-sampling-java-interval">2 ms</setting>|' \
    "$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/profile.jfc" > "$WORK/profile-2ms.jfc"
  JFR_OPTS=(-XX:StartFlightRecording=filename="$WORK/rec.jfr,settings=$WORK/profile-2ms.jfc")
fi
trap stop_gateways EXIT
GATEWAY_WAIT_SECONDS=240 start_gateway "$WORK/server.log" "$HTTP_PORT" "$SIP_PORT" "$REGISTRAR_PORT" "${JFR_OPTS[@]}" \
  -Dsipgw.data.dir="$WORK/data" -Dsipgw.db.name="$WORK/data/db" -- --nohazelcast
BASE="http://127.0.0.1:$HTTP_PORT"
TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"sipUri\":\"sip:b1@127.0.0.1:$REGISTRAR_PORT\",\"password\":\"secret123\"}" "$BASE/api/auth/login" \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/profile")" = 200 ] || { echo "profile did not answer 200"; exit 1; }
wrk -t1 -c16 -d"${WARM}s" -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/profile" > /dev/null
for round in $(seq 1 "$ROUNDS"); do
  before=$(server_ticks)
  out=$(wrk -t1 -c16 -d"${SECONDS_EACH}s" -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/profile")
  after=$(server_ticks)
  n=$(echo "$out" | awk '/requests in/ {print $1}'); rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  awk -v r="$round" -v rps="$rps" -v t=$((after - before)) -v n="$n" -v hz="$HZ" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "round %d: %.0f req/s, %.3f ms server CPU per request (load average %s)\n", r, rps, 1000 * t / hz / n, load }'
done
if [ -n "${BENCH_JFR:-}" ]; then jcmd "$GATEWAY_PID" JFR.dump filename="$WORK/rec.jfr" > /dev/null; echo "JFR recording: $WORK/rec.jfr"; fi
