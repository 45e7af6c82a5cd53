#!/usr/bin/env bash
# Benchmarks: starts the gateway (embedded SIP server, fresh database) on loopback ports of its own, runs
# one benchmark client against it and stops it. Not part of the test run. Results: docs/benchmarks.md.
# Usage: bench/run.sh messaging [pairs=20] [messagesPerSender=250] [concurrency=64]
#        bench/run.sh calls [pairs=10] [callsPerPair=50]
#        bench/run.sh floor [secondsEach=10] [connections=16] [rounds=3] [baselineCommit]   (bench/floor.sh)
# BENCH_CLUSTER=N (messaging and calls): N gateway instances (1 or more) as members of a Payara Micro cluster
# on a throwaway PostgreSQL (server-config/postgres/postgres.sh) instead of one instance on Derby; the
# embedded SIP server on the first; HTTP ports BENCH_HTTP_PORT, +1, ...; each message or call goes from a
# user on one member to a user on the next (README "Running a cluster", docs/benchmarks.md).
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

INSTANCES=${BENCH_CLUSTER:-0}
SERVERS=()
cleanup() {
  for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVERS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ "$INSTANCES" = 0 ] || server-config/postgres/postgres.sh stop "$WORK/postgres" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# start_server LOG HTTP_PORT SIP_PORT [more options for the JVM, then -- and for Payara Micro]
start_server() {
  local log=$1 http=$2 sip=$3 jvm=() micro=()
  shift 3
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  micro=("$@")
  # shellcheck disable=SC2086
  java -Xmx1g ${BENCH_JAVA_OPTS:-} "${jvm[@]}" -Dderby.stream.error.file="$WORK/derby.log" \
    -Dsipgw.accounts.file="$WORK/accounts.properties" -Dsipgw.sip.port="$sip" -Dsipgw.registrar.port="$REGISTRAR_PORT" \
    -jar target/payara-micro.jar --deploy target/sipgw.war --contextroot / --port "$http" "${micro[@]}" \
    --prebootcommandfile server-config/pre-boot-commands.asadmin --postbootcommandfile server-config/post-boot-commands.asadmin \
    > "$log" 2>&1 &
  SERVERS+=($!)
  local pid=$!
  for _ in $(seq 1 180); do
    grep -q "Payara Micro .* ready" "$log" && break
    kill -0 $pid 2>/dev/null || { echo "server died"; tail -50 "$log"; exit 1; }
    sleep 1
  done
  grep -q "sipgw was successfully deployed" "$log" || { echo "deployment failed"; grep -E "SEVERE" "$log" | head; exit 1; }
}
if [ "$INSTANCES" = 0 ]; then
  start_server "$WORK/server.log" "$HTTP_PORT" "$SIP_PORT" -Dsipgw.data.dir="$WORK/data" -Dsipgw.db.name="$WORK/data/db" -- --nohazelcast
  BASES="http://127.0.0.1:$HTTP_PORT"
else
  PG_PORT=$(server-config/postgres/postgres.sh start "$WORK/postgres")
  mkdir -p "$WORK/keys"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/keys/private.pem" 2>/dev/null
  openssl pkey -in "$WORK/keys/private.pem" -pubout -out "$WORK/keys/public.pem"
  HZ_BASE=${BENCH_HZ_PORT:-15901}
  MEMBERS=$(for i in $(seq 0 $((INSTANCES - 1))); do printf '127.0.0.1:%s,' $((HZ_BASE + i)); done)
  BASES=""
  for i in $(seq 0 $((INSTANCES - 1))); do
    start_server "$WORK/server-$i.log" $((HTTP_PORT + i)) $((SIP_PORT + i)) \
      -Dsipgw.data.dir="$WORK/data-$i" -Dsipgw.cluster.enabled=true -Dsipgw.registrar.enabled=$([ "$i" = 0 ] && echo true || echo false) \
      -Dsipgw.db.url="jdbc:postgresql://127.0.0.1:$PG_PORT/sipgw" -Dsipgw.db.user=sipgw \
      -Dsipgw.jwt.private-key.location="$WORK/keys/private.pem" -Dsipgw.jwt.public-key.location="$WORK/keys/public.pem" \
      -- --clustermode "tcpip:${MEMBERS%,}" --clustername "sipgw-bench-$HTTP_PORT" --startport $((HZ_BASE + i)) \
      --hzpublicaddress 127.0.0.1 --nohostaware --name "member-$i"
    BASES="$BASES${BASES:+,}http://127.0.0.1:$((HTTP_PORT + i))"
  done
  echo "$INSTANCES instance(s) on PostgreSQL: $BASES"
fi

# CPU time the server process used (user + system, in clock ticks) - a measure that holds up on a
# machine shared with other work, unlike throughput - in all and without the JIT compiler threads, whose
# share depends on how warm the server is rather than on the work measured
server_ticks() { local pid; for pid in "${SERVERS[@]}"; do awk '{print $14 + $15}' "/proc/$pid/stat"; done | awk '{s += $1} END {print s}'; }
thread_ticks() { # tid ticks, for every thread but the compilers; a thread that ends while it is read is
  # left out (it did end the whole script under set -e when it was the last one listed)
  for t in $(for pid in "${SERVERS[@]}"; do echo /proc/$pid/task/*; done); do
    grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null || awk '{sub(/^.*\) /, ""); print FILENAME, $12 + $13}' "$t/stat" 2>/dev/null || true
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
    -Dexec.args="$BASES 127.0.0.1:$REGISTRAR_PORT $ARGS" | sed 's/^/  /'
done

cpu_mark
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=$MAIN \
  -Dexec.args="$BASES 127.0.0.1:$REGISTRAR_PORT $ARGS" | tee "$WORK/result.txt"
DONE=$(grep -oE '^(delivered|completed)=[0-9]+' "$WORK/result.txt" | head -1 | cut -d= -f2)
cpu_report "${DONE:-0}" "$([ "$KIND" = messaging ] && echo message || echo call)"
