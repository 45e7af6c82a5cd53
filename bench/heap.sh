#!/usr/bin/env bash
# Heap benchmarks of issue 15 (not part of the test run; results in docs/benchmarks.md):
#   bench/heap.sh users [users=5000]        heap per logged-in user (a SIP registration and an event socket each)
#   bench/heap.sh messages [messages=100000] heap after GC before and after that many messages (20 pairs)
# Starts the gateway (embedded SIP server, fresh Derby database, loopback ports of its own), measures the
# heap in use after a full GC (jcmd GC.run, then GC.heap_info) at the points named and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:?users or messages}
HTTP_PORT=${BENCH_HTTP_PORT:-18091}
SIP_PORT=${BENCH_SIP_PORT:-15090}
REGISTRAR_PORT=${BENCH_REGISTRAR_PORT:-15080}
WORK=target/bench-heap
rm -rf "$WORK" && mkdir -p "$WORK/data"
case "$KIND" in
  users) USERS=${2:-5000}; ACCOUNTS=$USERS ;;
  messages) MESSAGES=${2:-100000}; PAIRS=20; ACCOUNTS=$((PAIRS * 2)) ;;
  *) echo "unknown benchmark $KIND"; exit 2 ;;
esac

mvn -q -B -DskipTests package test-compile
for i in $(seq 1 "$ACCOUNTS"); do
  echo "b$i@127.0.0.1.ha1=$(printf 'b%s:127.0.0.1:secret123' "$i" | md5sum | cut -d' ' -f1)"
done > "$WORK/accounts.properties"

java -Xmx${BENCH_XMX:-1g} ${BENCH_JAVA_OPTS:-} -Dsipgw.data.dir="$WORK/data" -Dsipgw.db.name="$WORK/data/db" \
  -Dderby.stream.error.file="$WORK/derby.log" -Dsipgw.accounts.file="$WORK/accounts.properties" \
  -Dsipgw.sip.port="$SIP_PORT" -Dsipgw.registrar.port="$REGISTRAR_PORT" \
  -jar target/payara-micro.jar --deploy target/sipgw.war --contextroot / --port "$HTTP_PORT" --nohazelcast \
  --prebootcommandfile server-config/pre-boot-commands.asadmin --postbootcommandfile server-config/post-boot-commands.asadmin \
  > "$WORK/server.log" 2>&1 &
SERVER=$!
CLIENT=
trap 'kill $SERVER $CLIENT 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  grep -q "Payara Micro .* ready" "$WORK/server.log" && break
  kill -0 $SERVER 2>/dev/null || { echo "server died"; tail -50 "$WORK/server.log"; exit 1; }
  sleep 1
done
grep -q "sipgw was successfully deployed" "$WORK/server.log" || { echo "deployment failed"; exit 1; }

heap_kib() { # used heap after two full GCs, in KiB; the class histogram of that heap in $WORK/histogram-<label>.txt
  jcmd $SERVER GC.run > /dev/null; sleep 1; jcmd $SERVER GC.run > /dev/null; sleep 1
  jcmd $SERVER GC.class_histogram | head -45 > "$WORK/histogram-$1.txt"
  jcmd $SERVER GC.heap_info | awk '/ used / { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }'
}
run_client() { # main class, arguments (without the colour codes Maven puts before the first line)
  mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass="$1" -Dexec.args="$2" | sed -u 's/\x1b\[[0-9;]*m//g'
}
BASE="http://127.0.0.1:$HTTP_PORT"

if [ "$KIND" = users ]; then
  # one login and logout first, so that what the first login loads (classes, caches) is in the baseline
  run_client io.sipgw.bench.MessagingBench "$BASE 127.0.0.1:$REGISTRAR_PORT 1 10 4" > /dev/null
  before=$(heap_kib before)
  GO="$WORK/go"
  run_client io.sipgw.bench.UsersBench "$BASE 127.0.0.1:$REGISTRAR_PORT $USERS $GO" > "$WORK/client.txt" 2>&1 &
  CLIENT=$!
  for _ in $(seq 1 3600); do grep -q 'logged-in=' "$WORK/client.txt" && break; kill -0 $CLIENT 2>/dev/null || { cat "$WORK/client.txt"; exit 1; }; sleep 1; done
  grep -o 'logged-in=.*' "$WORK/client.txt"
  held=$(heap_kib held)
  touch "$GO"
  wait $CLIENT; CLIENT=
  grep -o 'logged-out=.*' "$WORK/client.txt"
  after=$(heap_kib after)
  awk -v b="$before" -v h="$held" -v a="$after" -v n="$USERS" 'BEGIN {
    printf "heap after GC: before %.1f MiB, with %d users logged in %.1f MiB, after their logout %.1f MiB\n", b / 1024, n, h / 1024, a / 1024
    printf "per logged-in user: %.1f KiB\n", (h - b) / n }'
else
  # warm-up, then the baseline, then the messages in runs of at most 10,000 (the client waits 120 s for a run)
  run_client io.sipgw.bench.MessagingBench "$BASE 127.0.0.1:$REGISTRAR_PORT $PAIRS 50 32" > /dev/null
  before=$(heap_kib before)
  echo "heap after GC before: $before KiB"
  left=$MESSAGES
  while [ "$left" -gt 0 ]; do
    run=$((left > 10000 ? 10000 : left))
    run_client io.sipgw.bench.MessagingBench "$BASE 127.0.0.1:$REGISTRAR_PORT $PAIRS $((run / PAIRS)) 32" | grep -E '(delivered|throughput)='
    left=$((left - run))
    echo "heap after GC after $((MESSAGES - left)) messages: $(heap_kib "after-$((MESSAGES - left))") KiB"
  done
fi
