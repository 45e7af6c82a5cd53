#!/usr/bin/env bash
# Benchmarks: starts the gateway (embedded SIP server, fresh database) on loopback ports of its own, runs
# one benchmark client against it and stops it. Not part of the test run. Results: docs/benchmarks.md.
# Usage: bench/run.sh messaging [pairs=20] [messagesPerSender=250] [concurrency=64]
#        bench/run.sh calls [pairs=10] [callsPerPair=50]
#        bench/run.sh floor [secondsEach=20] [connections=16]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:?messaging, calls or floor}
case "$KIND" in
  messaging) PAIRS=${2:-20}; MAIN=io.sipgw.bench.MessagingBench ;;
  calls) PAIRS=${2:-10}; MAIN=io.sipgw.bench.CallsBench ;;
  floor) PAIRS=1; command -v wrk > /dev/null || { echo "the floor benchmark needs wrk (apt-get install wrk)"; exit 2; } ;;
  *) echo "unknown benchmark $KIND"; exit 2 ;;
esac
HTTP_PORT=${BENCH_HTTP_PORT:-18081}
SIP_PORT=${BENCH_SIP_PORT:-15070}
REGISTRAR_PORT=${BENCH_REGISTRAR_PORT:-15060}
WORK=target/bench
rm -rf "$WORK" && mkdir -p "$WORK/data"

mvn -q -B -DskipTests package test-compile

# bench accounts b1..b(2*PAIRS), password secret123
for i in $(seq 1 $((PAIRS * 2))); do
  echo "b$i@127.0.0.1.ha1=$(printf 'b%s:127.0.0.1:secret123' "$i" | md5sum | cut -d' ' -f1)"
done > "$WORK/accounts.properties"

java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dsipgw.data.dir="$WORK/data" -Dsipgw.db.name="$WORK/data/db" -Dderby.stream.error.file="$WORK/derby.log" \
  -Dsipgw.accounts.file="$WORK/accounts.properties" -Dsipgw.sip.port="$SIP_PORT" -Dsipgw.registrar.port="$REGISTRAR_PORT" \
  -jar target/payara-micro.jar --deploy target/sipgw.war --contextroot / --port "$HTTP_PORT" --nohazelcast \
  --prebootcommandfile server-config/pre-boot-commands.asadmin --postbootcommandfile server-config/post-boot-commands.asadmin \
  > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  grep -q "Payara Micro .* ready" "$WORK/server.log" && break
  kill -0 $SERVER 2>/dev/null || { echo "server died"; tail -50 "$WORK/server.log"; exit 1; }
  sleep 1
done
grep -q "sipgw was successfully deployed" "$WORK/server.log" || { echo "deployment failed"; grep -E "SEVERE" "$WORK/server.log" | head; exit 1; }

# CPU time the server process used (user + system, in clock ticks) - a measure that holds up on a
# machine shared with other work, unlike throughput - in all and without the JIT compiler threads, whose
# share depends on how warm the server is rather than on the work measured
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
thread_ticks() { # tid ticks, for every thread but the compilers
  for t in /proc/$SERVER/task/*; do
    grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null || awk '{sub(/^.*\) /, ""); print FILENAME, $12 + $13}' "$t/stat" 2>/dev/null
  done
}
HZ=$(getconf CLK_TCK)
cpu_mark() { TICKS_BEFORE=$(server_ticks); thread_ticks > "$WORK/threads-before.txt"; }
cpu_report() { # items done since cpu_mark, unit: the server's CPU since cpu_mark, per item
  local ticks=$(($(server_ticks) - TICKS_BEFORE)) app
  thread_ticks > "$WORK/threads-after.txt"
  app=$(awk 'NR == FNR { before[$1] = $2; next } { sum += $2 - before[$1] } END { print sum + 0 }' \
    "$WORK/threads-before.txt" "$WORK/threads-after.txt")
  awk -v t="$ticks" -v a="$app" -v hz="$HZ" -v n="${1:-0}" -v unit="$2" 'BEGIN {
    printf "server CPU: %.1f s", t / hz; if (n > 0) printf ", %.2f ms per %s", 1000 * t / hz / n, unit
    printf "; without JIT compiler threads: %.1f s", a / hz; if (n > 0) printf ", %.2f ms per %s", 1000 * a / hz / n, unit
    print "" }'
}

if [ "$KIND" = floor ]; then
  # What Payara Micro itself costs per request on this machine, whatever the gateway does: a static file
  # (the servlet container), the API without a token (adds Jersey and the security check, answered 401),
  # a user's token on an admin endpoint (adds the MicroProfile JWT verification; refused before any of
  # the gateway's code runs) and the cheapest real endpoint (the caller's profile, from the shared cache).
  # HTTP/1.1 with keep-alive, which is what wrk speaks.
  SECONDS_EACH=${2:-20}; CONNECTIONS=${3:-16}
  TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"sipUri\":\"sip:b1@127.0.0.1:$REGISTRAR_PORT\",\"password\":\"secret123\"}" \
    "http://127.0.0.1:$HTTP_PORT/api/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  floor_case() { # label, wrk arguments
    local label=$1 out n
    shift
    wrk -t1 -c"$CONNECTIONS" -d"$((SECONDS_EACH / 2))s" "$@" > /dev/null # warm-up, not measured
    cpu_mark
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@")
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    echo "$label: $(echo "$out" | awk '/Requests\/sec/ {printf "%.0f requests/s", $2}'),\
 $(echo "$out" | awk '$1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} END {print "p50 " p50 ", p99 " p99}'),\
 $(echo "$out" | awk '/Non-2xx/ {bad = $NF} END {print (bad ? bad : 0) " answers not 2xx"}')"
    echo "  $(cpu_report "$n" request)"
  }
  floor_case "static file, GET /app.css" "http://127.0.0.1:$HTTP_PORT/app.css"
  floor_case "API without a token, GET /api/config/sip (401)" "http://127.0.0.1:$HTTP_PORT/api/config/sip"
  floor_case "API with a user's token, GET /api/stats/summary (403, admins only)" -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$HTTP_PORT/api/stats/summary"
  floor_case "API with a token, GET /api/auth/profile" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/api/auth/profile"
  exit 0
fi

if [ "$KIND" = messaging ]; then
  ARGS="$PAIRS ${3:-250} ${4:-64}"
else
  ARGS="$PAIRS ${3:-50}"
fi
# BENCH_WARMUP=N: N unmeasured runs first, so the JIT compilers have done most of their work (in a cold
# one-minute run they took about a fifth of the server's CPU, and still 15-25 % after one warm-up run)
for i in $(seq 1 "${BENCH_WARMUP:-0}"); do
  echo "warm-up run $i (not measured):"
  mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=$MAIN \
    -Dexec.args="http://127.0.0.1:$HTTP_PORT 127.0.0.1:$REGISTRAR_PORT $ARGS" | sed 's/^/  /'
done

cpu_mark
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=$MAIN \
  -Dexec.args="http://127.0.0.1:$HTTP_PORT 127.0.0.1:$REGISTRAR_PORT $ARGS" | tee "$WORK/result.txt"
DONE=$(grep -oE '^(delivered|completed)=[0-9]+' "$WORK/result.txt" | head -1 | cut -d= -f2)
cpu_report "${DONE:-0}" "$([ "$KIND" = messaging ] && echo message || echo call)"
