#!/usr/bin/env bash
# Messaging benchmark: starts the gateway (embedded SIP server, fresh database) on loopback ports of its
# own, runs io.sipgw.bench.MessagingBench against it and stops it. Not part of the test run.
# Usage: bench/run-messaging.sh [pairs=20] [messagesPerSender=250] [concurrency=64]
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${1:-20}
PER_SENDER=${2:-250}
CONCURRENCY=${3:-64}
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

mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.sipgw.bench.MessagingBench \
  -Dexec.args="http://127.0.0.1:$HTTP_PORT 127.0.0.1:$REGISTRAR_PORT $PAIRS $PER_SENDER $CONCURRENCY"
