#!/usr/bin/env bash
# Counts what one call costs the database, deterministically (no timings): Derby logs every statement it
# executes, with its transaction id (derby.language.logStatementText), while CallsBench runs three times
# with one caller/callee pair against a fresh gateway: a warm-up run of 1 call, then A and B calls. Per
# call = (run B - run A) / (B - A), so logins, registrations and the history checks of each run cancel out.
# JTA transactions are counted from EclipseLink's transaction log (DefaultLogger, category transaction at
# FINER, set by system properties: persistence.xml leaves both unset), one "afterCompletion" per transaction
# the persistence context took part in (every CallStore and UserDirectory method uses it).
# Usage: bench/calls-tx.sh [A=5] [B=15]   (docs/benchmarks.md, "Transactions per call")
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:-5}; B=${2:-15}
HTTP_PORT=${BENCH_HTTP_PORT:-$((20000 + RANDOM % 20000))}
SIP_PORT=${BENCH_SIP_PORT:-$((HTTP_PORT + 1))}
REGISTRAR_PORT=${BENCH_REGISTRAR_PORT:-$((HTTP_PORT + 2))}
WORK=target/bench-tx
rm -rf "$WORK" && mkdir -p "$WORK/data"
[ -n "${SKIP_BUILD:-}" ] || mvn -q -B -o -DskipTests package test-compile
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_accounts "$WORK/accounts.properties" 2
trap stop_gateways EXIT
GATEWAY_WAIT_SECONDS=300 start_gateway "$WORK/server.log" "$HTTP_PORT" "$SIP_PORT" "$REGISTRAR_PORT" -Dderby.language.logStatementText=true \
  -Declipselink.logging.logger=DefaultLogger -Declipselink.logging.level.transaction=FINER \
  -Dsipgw.data.dir="$WORK/data" -Dsipgw.db.name="$WORK/data/db" -- --nohazelcast
run() {
  mvn -q -B -o exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.sipgw.bench.CallsBench \
    -Dexec.args="http://127.0.0.1:$HTTP_PORT 127.0.0.1:$REGISTRAR_PORT 1 $1" > "$WORK/run-$1.txt"
  sleep 3 # the last events' transactions
  echo "$(wc -l < "$WORK/derby.log") $(wc -l < "$WORK/server.log")"
}
read -r W WS < <(run 1); read -r RA RAS < <(run "$A"); read -r RB RBS < <(run "$B")
commits() { sed -n "$(($1 + 1)),$2p" "$WORK/server.log" | grep -ci 'afterCompletion.*commit' || true; }
# one line per executed statement: "<xid> <first SQL word>"
segment() { sed -n "$(($1 + 1)),$2p" "$WORK/derby.log" | grep -E 'Executing (prepared )?statement:' \
  | sed -E 's/.*\(XID = ([0-9]+)\).*Executing (prepared )?statement: *([A-Za-z]+).*/\1 \3/'; }
segment "$W" "$RA" > "$WORK/a.txt"; segment "$RA" "$RB" > "$WORK/b.txt"
per_call() { # label, count in A, count in B
  awk -v l="$1" -v a="$2" -v b="$3" -v n=$((B - A)) 'BEGIN { printf "%-28s run A %5d, run B %5d, per call %.2f\n", l, a, b, (b - a) / n }'; }
for kind in INSERT UPDATE SELECT DELETE; do
  per_call "$kind" "$(grep -ci " $kind$" "$WORK/a.txt" || true)" "$(grep -ci " $kind$" "$WORK/b.txt" || true)"
done
per_call "all statements" "$(wc -l < "$WORK/a.txt")" "$(wc -l < "$WORK/b.txt")"
per_call "transactions with a statement" "$(cut -d' ' -f1 "$WORK/a.txt" | sort -u | wc -l)" "$(cut -d' ' -f1 "$WORK/b.txt" | sort -u | wc -l)"
per_call "transactions that wrote" "$(grep -viE ' (SELECT|VALUES)$' "$WORK/a.txt" | cut -d' ' -f1 | sort -u | wc -l)" \
  "$(grep -viE ' (SELECT|VALUES)$' "$WORK/b.txt" | cut -d' ' -f1 | sort -u | wc -l)"
per_call "JTA commits (EclipseLink)" "$(commits "$WS" "$RAS")" "$(commits "$RAS" "$RBS")"
tail -3 "$WORK/run-$B.txt"
