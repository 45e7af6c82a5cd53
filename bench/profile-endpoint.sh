#!/usr/bin/env bash
# The authenticated no-op request of issue 15 (GET /api/auth/profile with a valid token), on a fresh gateway:
# wrk (16 connections, one thread) for WARM seconds unmeasured, then ROUNDS rounds of SECONDS each, with the
# server's CPU per request from /proc (all threads, JIT included). Not part of the test run; results in
# docs/benchmarks.md (sixth round). BENCH_JFR=1 also records a JFR profile (2 ms sampling) to
# target/bench-profile/rec.jfr, for bench/tools/JfrFlame.java.
# Usage: bench/profile-endpoint.sh [seconds=10] [rounds=3] [warm=15]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}; ROUNDS=${2:-3}; WARM=${3:-15}
HTTP_PORT=${BENCH_HTTP_PORT:-18481}; SIP_PORT=${BENCH_SIP_PORT:-15481}; REGISTRAR_PORT=${BENCH_REGISTRAR_PORT:-15381}
WORK=target/bench-profile
rm -rf "$WORK" && mkdir -p "$WORK/data"
command -v wrk > /dev/null || { echo "needs wrk (apt-get install wrk)"; exit 2; }
mvn -q -B -DskipTests package
echo "b1@127.0.0.1.ha1=$(printf 'b1:127.0.0.1:secret123' | md5sum | cut -d' ' -f1)" > "$WORK/accounts.properties"
JFR_OPTS=()
if [ -n "${BENCH_JFR:-}" ]; then
  sed 's|<setting name="period" control="method-sampling-java-interval">10 ms</setting>|<setting name="period" control="method-sampling-java-interval">2 ms</setting>|' \
    "$(dirname "$(readlink -f "$(command -v java)")")/../lib/jfr/profile.jfc" > "$WORK/profile-2ms.jfc"
  JFR_OPTS=(-XX:StartFlightRecording=filename="$WORK/rec.jfr,settings=$WORK/profile-2ms.jfc")
fi
java -Xmx1g "${JFR_OPTS[@]}" -Dsipgw.data.dir="$WORK/data" -Dsipgw.db.name="$WORK/data/db" -Dderby.stream.error.file="$WORK/derby.log" \
  -Dsipgw.accounts.file="$WORK/accounts.properties" -Dsipgw.sip.port="$SIP_PORT" -Dsipgw.registrar.port="$REGISTRAR_PORT" \
  -jar target/payara-micro.jar --deploy target/sipgw.war --contextroot / --port "$HTTP_PORT" --nohazelcast \
  --prebootcommandfile server-config/pre-boot-commands.asadmin --postbootcommandfile server-config/post-boot-commands.asadmin \
  > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  grep -q "Payara Micro .* ready" "$WORK/server.log" && break
  kill -0 $SERVER 2>/dev/null || { echo "server died"; tail -50 "$WORK/server.log"; exit 1; }
  sleep 1
done
BASE="http://127.0.0.1:$HTTP_PORT"
TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"sipUri\":\"sip:b1@127.0.0.1:$REGISTRAR_PORT\",\"password\":\"secret123\"}" "$BASE/api/auth/login" \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/profile")" = 200 ] || { echo "profile did not answer 200"; exit 1; }
wrk -t1 -c16 -d"${WARM}s" -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/profile" > /dev/null
HZ=$(getconf CLK_TCK)
for round in $(seq 1 "$ROUNDS"); do
  before=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  out=$(wrk -t1 -c16 -d"${SECONDS_EACH}s" -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/profile")
  after=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  n=$(echo "$out" | awk '/requests in/ {print $1}'); rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  awk -v r="$round" -v rps="$rps" -v t=$((after - before)) -v n="$n" -v hz="$HZ" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "round %d: %.0f req/s, %.3f ms server CPU per request (load average %s)\n", r, rps, 1000 * t / hz / n, load }'
done
if [ -n "${BENCH_JFR:-}" ]; then jcmd $SERVER JFR.dump filename="$WORK/rec.jfr" > /dev/null; echo "JFR recording: $WORK/rec.jfr"; fi
