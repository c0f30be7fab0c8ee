"""The cost of an audited write against a plain one, on the database DATABASE_URL names.

Run: `DATABASE_URL=postgres://... .venv/bin/python scripts/bench_audit.py [--count N]`.

In a fresh, migrated database created next to the one DATABASE_URL names (and dropped at
the end), it times N writes of each kind, each in its own transaction, alternating one of each:
- plain: one row inserted (a storefront);
- audited: the same insert plus its `audit_record` entry, as every service writes them.
The difference is what the audit trail adds to a write: the chain head's row lock and
update, the hash, and the entry's insert.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The test settings are the real ones with a throwaway secret key; DEBUG stays off so that
# Django does not keep every query in memory and skew the timings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_project.test_settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from audit.services import audit_record  # noqa: E402
from pos_project.actors import Actor  # noqa: E402
from pos_project.models import Business, Storefront  # noqa: E402


def _time_writes(count: int, write) -> list[float]:
    durations = []
    for n in range(count):
        started = time.perf_counter()
        with transaction.atomic():
            write(n)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def _summary(label: str, durations: list[float]) -> str:
    ordered = sorted(durations)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"{label:<8} n={len(durations)}  mean={statistics.fmean(durations):.3f} ms  "
        f"median={statistics.median(durations):.3f} ms  p95={p95:.3f} ms"
    )


def run(count: int, warmup: int) -> None:
    business = Business.objects.create(name="Audit benchmark")
    actor = Actor.system("Benchmark")

    def plain(n, prefix="plain"):
        Storefront.objects.create(business=business, name=f"{prefix} {n}")

    def audited(n):
        storefront = Storefront.objects.create(business=business, name=f"audited {n}")
        audit_record(
            business=business,
            actor=actor,
            event_type="storefront.created",
            description=f"Storefront {storefront.name} created",
            event_data={"storefront_id": storefront.id, "name": storefront.name},
        )

    # Warm the connection, the query plans and the chain head before measuring.
    _time_writes(warmup, lambda n: plain(n, prefix="warmup"))
    _time_writes(warmup, lambda n: audited(-1 - n))

    # Interleaved, so that whatever else the machine is doing weighs on both kinds alike.
    plain_ms, audited_ms = [], []
    for n in range(count):
        plain_ms += _time_writes(1, lambda _, n=n: plain(n))
        audited_ms += _time_writes(1, lambda _, n=n: audited(n))

    version = getattr(connection, "pg_version", "")
    print(f"database: {connection.vendor} {version}")  # noqa: T201
    print(f"machine: {os.cpu_count()} cores")  # noqa: T201
    print(_summary("plain", plain_ms))  # noqa: T201
    print(_summary("audited", audited_ms))  # noqa: T201
    overhead = statistics.fmean(audited_ms) - statistics.fmean(plain_ms)
    print(  # noqa: T201
        f"audit overhead: {overhead:.3f} ms per write "
        f"({statistics.fmean(audited_ms) / statistics.fmean(plain_ms):.2f}x a plain write)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    args = parser.parse_args()

    # A fresh database, migrated from scratch, so earlier rows and bloat do not count.
    fresh_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"fresh database: {fresh_name}")  # noqa: T201
        run(args.count, args.warmup)
    finally:
        connection.creation.destroy_test_db(fresh_name, verbosity=0)


if __name__ == "__main__":
    main()
