#!/usr/bin/env python3
"""Counts, per message, the statements on SIPGW_MESSAGE and the write transactions in a Derby statement log.

Run the messaging benchmark with BENCH_JAVA_OPTS=-Dderby.language.logStatementText=true, then:
    python3 bench/tools/derby-writes.py target/bench/derby.log MESSAGES
Only statements from the first INSERT into SIPGW_MESSAGE on are counted (logins and schema set-up are left
out). Write transactions are the distinct Derby transaction ids (XID) of INSERT/UPDATE/DELETE statements: Derby
gives a transaction a new XID at its first write, so one committed write transaction is one XID here.
"""
import collections
import re
import sys

log, n = sys.argv[1], int(sys.argv[2])
executing = re.compile(r'\(XID = (\d+)\).*?Executing prepared statement: (.*?)( :End prepared statement|$)')
kinds = collections.Counter()
writes = set()
started = False
with open(log, errors='replace') as f:
    for line in f:
        m = executing.search(line)
        if not m:
            continue
        sql = re.sub(r'\s+', ' ', m.group(2).strip())
        if 'SIPGW_MESSAGE' not in sql:
            continue
        if sql.startswith('INSERT'):
            started = True
        if not started:
            continue
        kinds[sql[:90]] += 1
        if sql.split()[0] in ('INSERT', 'UPDATE', 'DELETE'):
            writes.add(m.group(1))
print(f"messages={n}")
for sql, count in kinds.most_common():
    print(f"  {count:6d} ({count / n:.2f}/msg)  {sql}")
total = sum(kinds.values())
print(f"statements on SIPGW_MESSAGE: {total} = {total / n:.2f} per message")
print(f"write transactions: {len(writes)} = {len(writes) / n:.2f} per message")
