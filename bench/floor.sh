#!/usr/bin/env bash
# The floor of the stack, measured rather than assumed: what Payara Micro costs per request with an empty
# WAR, the same empty WAR with Payara's MicroProfile JWT mechanism (@LoginConfig), and the gateway, all on
# the same Payara Micro with the gateway's pre- and post-boot commands, on 127.0.0.1 only. Requests/s and
# server CPU per request (from /proc, user + system, all threads and without the JIT compiler threads).
# Each server is started once per round; rounds are repeated and the medians printed at the end.
# Usage: bench/floor.sh [secondsEach=10] [connections=16] [rounds=3] [baselineCommit]
#   baselineCommit: also measure the gateway built from that commit (e.g. the one before a change), in
#   the same rounds. BENCH_JAVA_OPTS adds JVM options to the gateway's servers (e.g. a JFR recording).
#   Needs wrk (apt-get install wrk) and openssl. Results: target/bench-floor/results.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}; CONNECTIONS=${2:-16}; ROUNDS=${3:-3}; BASELINE=${4:-}
HTTP_PORT=${BENCH_HTTP_PORT:-18081}
SIP_PORT=${BENCH_SIP_PORT:-15070}
REGISTRAR_PORT=${BENCH_REGISTRAR_PORT:-15060}
command -v wrk > /dev/null || { echo "needs wrk (apt-get install wrk)"; exit 2; }
ROOT=$PWD
WORK=$ROOT/target/bench-floor
rm -rf "$WORK" && mkdir -p "$WORK"

# --- the WARs ---
mvn -q -B -DskipTests package
cp target/sipgw.war "$WORK/sipgw.war"
if [ -n "$BASELINE" ]; then
  mkdir "$WORK/baseline-src"
  git archive "$BASELINE" | tar -x -C "$WORK/baseline-src"
  (cd "$WORK/baseline-src" && mvn -q -B -DskipTests package)
  cp "$WORK/baseline-src/target/sipgw.war" "$WORK/sipgw-baseline.war"
fi
mvn -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt"
empty_war() { # name, source folders under bench/floor
  local name=$1 dir="$WORK/$1"
  shift
  mkdir -p "$dir/WEB-INF/classes"
  javac -nowarn -d "$dir/WEB-INF/classes" -cp "$(cat "$WORK/classpath.txt")" \
    $(for s in "$@"; do find "bench/floor/$s" -name '*.java'; done)
  cp src/main/webapp/app.css "$dir/app.css" # the gateway's own static file, same size
  (cd "$dir" && jar cf "$WORK/$name.war" .)
}
empty_war empty common plain
empty_war empty-jwt common jwt

# --- a key pair and an RS256 token for the empty MP-JWT WAR (issuer floor, group user, one hour) ---
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/floor-private.pem" 2> /dev/null
openssl pkey -in "$WORK/floor-private.pem" -pubout -out "$WORK/floor-public.pem"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
NOW=$(date +%s)
JWT_INPUT="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url).$(printf '{"iss":"floor","sub":"bench","upn":"bench","groups":["user"],"jti":"floor-1","iat":%s,"exp":%s}' "$NOW" $((NOW + 3600)) | b64url)"
FLOOR_TOKEN="$JWT_INPUT.$(printf '%s' "$JWT_INPUT" | openssl dgst -sha256 -sign "$WORK/floor-private.pem" -binary | b64url)"

# bench account b1, password secret123
echo "b1@127.0.0.1.ha1=$(printf 'b1:127.0.0.1:secret123' | md5sum | cut -d' ' -f1)" > "$WORK/accounts.properties"

# --- one server at a time ---
SERVER=
stop_server() {
  if [ -n "$SERVER" ]; then
    kill "$SERVER" 2> /dev/null || true
    wait "$SERVER" 2> /dev/null || true
    SERVER=
  fi
}
trap stop_server EXIT
start_server() { # label, war, extra JVM options...
  local label=$1 war=$2 log="$WORK/$1.log"
  shift 2
  rm -rf "$WORK/data" && mkdir -p "$WORK/data"
  java -Xmx1g "$@" -jar target/payara-micro.jar --deploy "$war" --contextroot / --port "$HTTP_PORT" --nohazelcast \
    --prebootcommandfile server-config/pre-boot-commands.asadmin --postbootcommandfile server-config/post-boot-commands.asadmin \
    > "$log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 180); do
    grep -q "Payara Micro .* ready" "$log" && break
    kill -0 "$SERVER" 2> /dev/null || { echo "$label: server died"; tail -50 "$log"; exit 1; }
    sleep 1
  done
  grep -q "$(basename "$war" .war) was successfully deployed" "$log" || { echo "$label: deployment failed"; grep SEVERE "$log" | head; exit 1; }
}
SIPGW_OPTS=(-Dsipgw.data.dir="$WORK/data" -Dsipgw.db.name="$WORK/data/db" -Dderby.stream.error.file="$WORK/derby.log"
  -Dsipgw.accounts.file="$WORK/accounts.properties" -Dsipgw.sip.port="$SIP_PORT" -Dsipgw.registrar.port="$REGISTRAR_PORT")

# CPU time of the server process (user + system, clock ticks), in all and without the JIT compiler threads
HZ=$(getconf CLK_TCK)
server_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
thread_ticks() {
  for t in /proc/$SERVER/task/*; do
    # (a thread may end between the listing and the read)
    grep -q '^C[12] CompilerThre' "$t/comm" 2> /dev/null || awk '{sub(/^.*\) /, ""); print FILENAME, $12 + $13}' "$t/stat" 2> /dev/null || true
  done
}

RESULTS="$WORK/results.tsv"
printf 'round\tserver\tcase\tstatus\trequests_per_s\tcpu_ms_per_request\tcpu_ms_without_jit\tp50\tp99\n' > "$RESULTS"
measure() { # round, server, case, url, wrk arguments...
  local round=$1 server=$2 label=$3 url=$4 out n ticks app before_ticks status
  shift 4
  status=$(curl -s -o /dev/null -w '%{http_code}' "${CURL_ARGS[@]}" "$url")
  wrk -t1 -c"$CONNECTIONS" -d"$((SECONDS_EACH / 2 > 0 ? SECONDS_EACH / 2 : 1))s" "$@" "$url" > /dev/null # warm-up
  before_ticks=$(server_ticks); thread_ticks > "$WORK/threads-before.txt"
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency "$@" "$url")
  ticks=$(($(server_ticks) - before_ticks)); thread_ticks > "$WORK/threads-after.txt"
  app=$(awk 'NR == FNR { b[$1] = $2; next } { s += $2 - b[$1] } END { print s + 0 }' "$WORK/threads-before.txt" "$WORK/threads-after.txt")
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  [ "${n:-0}" -gt 0 ] || { echo "$server, $label: no requests measured"; echo "$out"; return 0; }
  echo "$out" | awk -v r="$round" -v srv="$server" -v c="$label" -v st="$status" -v n="$n" -v t="$ticks" -v a="$app" -v hz="$HZ" '
    /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
    END {printf "%s\t%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%s\t%s\n", r, srv, c, st, rps, 1000 * t / hz / n, 1000 * a / hz / n, p50, p99}' \
    | tee -a "$RESULTS"
}

BASE="http://127.0.0.1:$HTTP_PORT"
for round in $(seq 1 "$ROUNDS"); do
  CURL_ARGS=()
  start_server empty "$WORK/empty.war"
  measure "$round" "empty WAR" "static file" "$BASE/app.css"
  measure "$round" "empty WAR" "JSON, no token" "$BASE/api/ping"
  stop_server

  start_server empty-jwt "$WORK/empty-jwt.war" -Dmp.jwt.verify.publickey.location="file://$WORK/floor-public.pem" -Dmp.jwt.verify.issuer=floor
  measure "$round" "empty WAR + MP-JWT" "static file" "$BASE/app.css"
  measure "$round" "empty WAR + MP-JWT" "JSON, no token" "$BASE/api/ping"
  CURL_ARGS=(-H "Authorization: Bearer $FLOOR_TOKEN")
  measure "$round" "empty WAR + MP-JWT" "JSON, valid RS256 token" "$BASE/api/secure" -H "Authorization: Bearer $FLOOR_TOKEN"
  stop_server

  for war in ${BASELINE:+sipgw-baseline} sipgw; do
    CURL_ARGS=()
    label=$([ "$war" = sipgw ] && echo "sipgw" || echo "sipgw at ${BASELINE:0:7}")
    # BENCH_JAVA_OPTS: extra JVM options for the gateway's servers, e.g. a JFR recording
    start_server "$war" "$WORK/$war.war" "${SIPGW_OPTS[@]}" ${BENCH_JAVA_OPTS:-}
    TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
      -d "{\"sipUri\":\"sip:b1@127.0.0.1:$REGISTRAR_PORT\",\"password\":\"secret123\"}" \
      "$BASE/api/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')
    measure "$round" "$label" "static file" "$BASE/app.css"
    measure "$round" "$label" "JSON, no token (401)" "$BASE/api/config/sip"
    CURL_ARGS=(-H "Authorization: Bearer $TOKEN")
    measure "$round" "$label" "GET /api/auth/profile, valid token" "$BASE/api/auth/profile" -H "Authorization: Bearer $TOKEN"
    stop_server
  done
done

echo
echo "Medians of $ROUNDS rounds ($SECONDS_EACH s each, $CONNECTIONS connections, after ${SECONDS_EACH}/2 s of warm-up):"
awk -F'\t' 'NR > 1 {
    key = $2 "\t" $3; if (!(key in seen)) { seen[key] = 1; order[++k] = key }
    if (index("," st[key] ",", "," $4 ",") == 0) st[key] = st[key] (st[key] == "" ? "" : ",") $4; rps[key] = rps[key] " " $5; cpu[key] = cpu[key] " " $6; app[key] = app[key] " " $7 }
  function median(list,   v, m, i, j, t) {
    m = split(list, v, " "); for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
  END { printf "| server | request | HTTP status | requests/s | server CPU per request | without JIT threads |\n|---|---|---|---|---|---|\n"
    for (i = 1; i <= k; i++) { key = order[i]; split(key, p, "\t")
      printf "| %s | %s | %s | %s | %.3f ms | %.3f ms |\n", p[1], p[2], st[key], median(rps[key]), median(cpu[key]), median(app[key]) } }' "$RESULTS"
