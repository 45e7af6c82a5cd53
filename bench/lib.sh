# shellcheck shell=bash disable=SC2034 # GATEWAY_PID and KAMAILIO_PID are for the scripts that source this
# Shared by bench/run.sh, bench/calls-tx.sh and bench/profile-endpoint.sh: sourced from the project root,
# after the script has set WORK (its folder under target/). Bench accounts, the gateway on Payara Micro,
# and the CPU time the gateway (and Kamailio, when it is the SIP server) used, read from /proc.

SERVERS=()      # PIDs of the gateways started, in order
GATEWAY_PID=    # PID of the last one
KAMAILIO_PID=   # set by a script that runs Kamailio: cpu_mark/cpu_report measure its processes too

# bench_accounts FILE N: accounts b1..bN of the domain 127.0.0.1, password secret123 (HA1 digests, the
# format of server-config/accounts.properties, which both the gateway and kamailio.sh read)
bench_accounts() {
  local i
  for i in $(seq 1 "$2"); do
    echo "b$i@127.0.0.1.ha1=$(printf 'b%s:127.0.0.1:secret123' "$i" | md5sum | cut -d' ' -f1)"
  done > "$1"
}

# start_gateway LOG HTTP_PORT SIP_PORT REGISTRAR_PORT [JVM options...] [-- Payara Micro options...]
# Starts target/sipgw.war on target/payara-micro.jar in the background (server-config's pre- and post-boot
# commands, the accounts of $WORK/accounts.properties, BENCH_JAVA_OPTS before the JVM options given),
# adds its PID to SERVERS and sets GATEWAY_PID, then waits up to GATEWAY_WAIT_SECONDS (default 180) for
# Payara Micro's ready banner and checks that sipgw was deployed; ends the script if it was not.
start_gateway() {
  local log=$1 http=$2 sip=$3 registrar=$4 jvm=() micro=() pid
  shift 4
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  micro=("$@")
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS may hold several options
  java -Xmx1g ${BENCH_JAVA_OPTS:-} "${jvm[@]}" -Dderby.stream.error.file="$WORK/derby.log" \
    -Dsipgw.accounts.file="$WORK/accounts.properties" -Dsipgw.sip.port="$sip" -Dsipgw.registrar.port="$registrar" \
    -jar target/payara-micro.jar --deploy target/sipgw.war --contextroot / --port "$http" "${micro[@]}" \
    --prebootcommandfile server-config/pre-boot-commands.asadmin --postbootcommandfile server-config/post-boot-commands.asadmin \
    > "$log" 2>&1 &
  pid=$!
  SERVERS+=("$pid")
  GATEWAY_PID=$pid
  for _ in $(seq 1 "${GATEWAY_WAIT_SECONDS:-180}"); do
    grep -q "Payara Micro .* ready" "$log" && break
    kill -0 "$pid" 2>/dev/null || { echo "server died"; tail -50 "$log"; exit 1; }
    sleep 1
  done
  grep -q "sipgw was successfully deployed" "$log" || { echo "deployment failed"; grep -E "SEVERE" "$log" | head; exit 1; }
}

# stop_gateways: ends the gateways started (for the EXIT trap)
stop_gateways() {
  local pid
  for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVERS[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# CPU time the server processes used (user + system, in clock ticks) - a measure that holds up on a
# machine shared with other work, unlike throughput - in all and without the JIT compiler threads, whose
# share depends on how warm the server is rather than on the work measured
server_ticks() { local pid; for pid in "${SERVERS[@]}"; do awk '{print $14 + $15}' "/proc/$pid/stat"; done | awk '{s += $1} END {print s}'; }
thread_ticks() { # tid ticks, for every thread but the compilers; a thread that ends while it is read is
  # left out (it did end the whole script under set -e when it was the last one listed)
  local t
  for t in $(for pid in "${SERVERS[@]}"; do echo "/proc/$pid/task/"*; done); do
    grep -q '^C[12] CompilerThre' "$t/comm" 2>/dev/null || awk '{sub(/^.*\) /, ""); print FILENAME, $12 + $13}' "$t/stat" 2>/dev/null || true
  done
}
# Kamailio's CPU time in clock ticks: its main process (with the time of children it has reaped) and every
# process below it (kamailio forks its UDP, TCP, timer... workers at start and keeps them)
kamailio_ticks() {
  local p
  for p in $(ps -e -o pid=,ppid= | awk -v root="$KAMAILIO_PID" '{ parent[$1] = $2 } END {
      for (p in parent) { q = p; while (q != root && (q in parent) && q > 1) q = parent[q]; if (q == root) print p } }'); do
    # fields after the command name: utime is the 12th, stime 13th, cutime 14th, cstime 15th
    awk -v main=$((p == KAMAILIO_PID)) '{sub(/^.*\) /, ""); print $12 + $13 + (main ? $14 + $15 : 0)}' "/proc/$p/stat" 2>/dev/null || true
  done | awk '{s += $1} END {print s + 0}'
}
HZ=$(getconf CLK_TCK)
cpu_mark() {
  TICKS_BEFORE=$(server_ticks); thread_ticks > "$WORK/threads-before.txt"
  if [ -n "$KAMAILIO_PID" ]; then KAMAILIO_TICKS_BEFORE=$(kamailio_ticks); fi
}
cpu_report() { # items done since cpu_mark, unit: the server's CPU since cpu_mark, per item
  local ticks=$(($(server_ticks) - TICKS_BEFORE)) app
  thread_ticks > "$WORK/threads-after.txt"
  app=$(awk 'NR == FNR { before[$1] = $2; next } { sum += $2 - before[$1] } END { print sum + 0 }' \
    "$WORK/threads-before.txt" "$WORK/threads-after.txt")
  awk -v t="$ticks" -v a="$app" -v hz="$HZ" -v n="${1:-0}" -v unit="$2" 'BEGIN {
    printf "server CPU: %.1f s", t / hz; if (n > 0) printf ", %.2f ms per %s", 1000 * t / hz / n, unit
    printf "; without JIT compiler threads: %.1f s", a / hz; if (n > 0) printf ", %.2f ms per %s", 1000 * a / hz / n, unit
    print "" }'
  if [ -n "$KAMAILIO_PID" ]; then
    awk -v k=$(($(kamailio_ticks) - KAMAILIO_TICKS_BEFORE)) -v t="$ticks" -v hz="$HZ" -v n="${1:-0}" -v unit="$2" 'BEGIN {
      printf "kamailio CPU: %.1f s", k / hz; if (n > 0) printf ", %.2f ms per %s", 1000 * k / hz / n, unit
      printf "; server and kamailio together: %.1f s", (t + k) / hz; if (n > 0) printf ", %.2f ms per %s", 1000 * (t + k) / hz / n, unit
      print "" }'
  fi
}
