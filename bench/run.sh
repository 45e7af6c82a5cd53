#!/usr/bin/env bash
# Benchmarks: starts the gateway (embedded SIP server or Kamailio, fresh database) on loopback ports of its own, runs
# one benchmark client against it and stops it. Not part of the test run. Results: docs/benchmarks.md.
# Usage: bench/run.sh messaging [pairs=20] [messagesPerSender=250] [concurrency=64]
#        bench/run.sh calls [pairs=10] [callsPerPair=50]
#        bench/run.sh floor [secondsEach=10] [connections=16] [rounds=3] [baselineCommit]   (bench/floor.sh)
# BENCH_CLUSTER=N (messaging and calls): N gateway instances (1 or more) as members of a Payara Micro cluster
# on a throwaway PostgreSQL (server-config/postgres/postgres.sh) instead of one instance on Derby; the
# embedded SIP server on the first; HTTP ports BENCH_HTTP_PORT, +1, ...; each message or call goes from a
# user on one member to a user on the next (README "Running a cluster", docs/benchmarks.md).
# BENCH_SIP_SERVER=kamailio (messaging and calls): Kamailio (server-config/kamailio, INVITE and MESSAGE
# challenged as in the kamailio Maven profile) on 127.0.0.1:BENCH_KAMAILIO_PORT (default 15090) as the SIP
# server, holding the bench accounts, instead of the gateway's embedded one (switched off); Kamailio's own
# CPU per message or call is reported beside the gateway's.
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
KAMAILIO_PORT=${BENCH_KAMAILIO_PORT:-15090}
SIP_SERVER=${BENCH_SIP_SERVER:-embedded}
case "$SIP_SERVER" in
  embedded) ;;
  kamailio) command -v kamailio > /dev/null || { echo "BENCH_SIP_SERVER=kamailio needs kamailio (apt-get install kamailio)"; exit 2; } ;;
  *) echo "BENCH_SIP_SERVER is embedded or kamailio, not $SIP_SERVER"; exit 2 ;;
esac
WORK=target/bench
# a Kamailio left running by an earlier run that was killed (its pid file goes with the folder)
[ ! -f "$WORK/kamailio/kamailio.pid" ] || server-config/kamailio/kamailio.sh stop "$WORK/kamailio" > /dev/null 2>&1 || true
rm -rf "$WORK" && mkdir -p "$WORK/data"

mvn -q -B -DskipTests package test-compile

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_accounts "$WORK/accounts.properties" $((PAIRS * 2))

INSTANCES=${BENCH_CLUSTER:-0}
cleanup() {
  stop_gateways
  [ "$INSTANCES" = 0 ] || server-config/postgres/postgres.sh stop "$WORK/postgres" >/dev/null 2>&1 || true
  [ "$SIP_SERVER" = embedded ] || server-config/kamailio/kamailio.sh stop "$WORK/kamailio" >/dev/null 2>&1 || true
}
trap cleanup EXIT
if [ "$SIP_SERVER" = kamailio ]; then
  # as the kamailio Maven profile and src/test/browser/audio.sh --sip-server kamailio: the accounts' HA1s
  # into Kamailio's db_text subscriber table, out-of-dialog INVITE and MESSAGE challenged (407) like REGISTER
  KAMAILIO_REQUEST_AUTH=1 server-config/kamailio/kamailio.sh start "$WORK/kamailio" "$KAMAILIO_PORT" "$WORK/accounts.properties" > /dev/null
  KAMAILIO_PID=$(cat "$WORK/kamailio/kamailio.pid")
  echo "kamailio: SIP on 127.0.0.1:$KAMAILIO_PORT (log: $WORK/kamailio/kamailio.log)"
  SIP_SERVER_ADDRESS=127.0.0.1:$KAMAILIO_PORT
else
  SIP_SERVER_ADDRESS=127.0.0.1:$REGISTRAR_PORT
fi
# the embedded SIP server: on the only instance, or the first member of a cluster; none with Kamailio
registrar_enabled() { if [ "$SIP_SERVER" = embedded ] && [ "$1" = 0 ]; then echo true; else echo false; fi; }
if [ "$INSTANCES" = 0 ]; then
  start_gateway "$WORK/server.log" "$HTTP_PORT" "$SIP_PORT" "$REGISTRAR_PORT" -Dsipgw.data.dir="$WORK/data" -Dsipgw.db.name="$WORK/data/db" \
    -Dsipgw.registrar.enabled="$(registrar_enabled 0)" -- --nohazelcast
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
    start_gateway "$WORK/server-$i.log" $((HTTP_PORT + i)) $((SIP_PORT + i)) "$REGISTRAR_PORT" \
      -Dsipgw.data.dir="$WORK/data-$i" -Dsipgw.cluster.enabled=true -Dsipgw.registrar.enabled="$(registrar_enabled "$i")" \
      -Dsipgw.db.url="jdbc:postgresql://127.0.0.1:$PG_PORT/sipgw" -Dsipgw.db.user=sipgw \
      -Dsipgw.jwt.private-key.location="$WORK/keys/private.pem" -Dsipgw.jwt.public-key.location="$WORK/keys/public.pem" \
      -- --clustermode "tcpip:${MEMBERS%,}" --clustername "sipgw-bench-$HTTP_PORT" --startport $((HZ_BASE + i)) \
      --hzpublicaddress 127.0.0.1 --nohostaware --name "member-$i"
    BASES="$BASES${BASES:+,}http://127.0.0.1:$((HTTP_PORT + i))"
  done
  echo "$INSTANCES instance(s) on PostgreSQL: $BASES"
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
  mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass="$MAIN" \
    -Dexec.args="$BASES $SIP_SERVER_ADDRESS $ARGS" | sed 's/^/  /'
done

cpu_mark
mvn -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass="$MAIN" \
  -Dexec.args="$BASES $SIP_SERVER_ADDRESS $ARGS" | tee "$WORK/result.txt"
DONE=$(grep -oE '^(delivered|completed)=[0-9]+' "$WORK/result.txt" | head -1 | cut -d= -f2)
cpu_report "${DONE:-0}" "$([ "$KIND" = messaging ] && echo message || echo call)"
