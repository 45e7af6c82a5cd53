#!/usr/bin/env bash
# Benchmarks: starts the gateway (embedded SIP server, fresh database) on loopback ports of its own, runs
# one benchmark client against it and stops it. Not part of the test run. Results: docs/benchmarks.md.
# Usage: bench/run.sh messaging [pairs=20] [messagesPerSender=250] [concurrency=64]
#        bench/run.sh calls [pairs=10] [callsPerPair=50]
#        bench/run.sh floor [secondsEach=10] [connections=16] [rounds=3] [baselineCommit]   (bench/floor.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:?messaging, calls or floor}
case "$KIND" in
  messaging) PAIRS=${2:-20}; MAIN=io.sipgw.bench.MessagingBench ;;
  calls) PAIRS=${2:-10}; MAIN=io.sipgw.bench.CallsBench ;;
  floor) shift; exec bench/floor.sh "$@" ;;
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
