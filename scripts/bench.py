"""The benchmark behind docs/performance.md: `scripts/bench [--quick]` (package `benchmark`).

For each size it builds a PostgreSQL database (`seed_demo --customers N --sales 2N`),
serves the app under gunicorn on 127.0.0.1 (one instance, or `--servers 2`), and measures
over HTTP with keep-alive:
- the p50 and p95 latency of the reads a till and a back office make most, the customer
  dashboard among them, each as a ratio to the token-auth floor (`/api/me/`);
- checkout throughput from concurrent clients, for the six-request flow (create, 3 items,
  update_customer, complete with cash and on account) and for the one-request checkout
  (`POST /sales/api/sales/checkout/`, the same cart and tenders), and a whole checkout's
  latency at 1 client;
- the ceilings: each checkout's database work as raw SQL in one loop
  (scripts/bench_ceiling.py, scripts/bench_ceiling_one_request.py), on the same database in
  the same run.
It prints one table and writes it as Markdown and JSON under bench-results/.
"""

import sys

from benchmark.run import main

if __name__ == "__main__":
    sys.exit(main())
