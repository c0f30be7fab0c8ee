"""What every benchmark script shares: one percentile, one way to report, one database set-up.

One definition of p50/p95 across scripts, so figures from different scripts compare.
"""

import sys
from urllib.parse import urlparse

import psycopg


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist yet."""
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def deepen_shelves(db, storefront) -> None:
    """Every shelf of `storefront` deep enough for a run, so that no checkout fails for want
    of stock: the lot without number (sold after the dated lots) takes the units, and each
    stock row stays the sum of its lots, as `check_ledgers` proves."""
    db.execute(
        "INSERT INTO medicine_lot (id, medicine_id, storefront_id, quantity, received_at, "
        "recall_reference) SELECT gen_random_uuid(), medicine_id, storefront_id, 0, now(), '' "
        "FROM medicine_stock WHERE storefront_id = %s ON CONFLICT (medicine_id, storefront_id) "
        "WHERE lot_number IS NULL DO NOTHING",
        [storefront],
    )
    db.execute(
        "UPDATE medicine_lot SET quantity = 100000000 WHERE storefront_id = %s "
        "AND lot_number IS NULL",
        [storefront],
    )
    db.execute(
        "UPDATE medicine_stock s SET quantity = (SELECT sum(quantity) FROM medicine_lot l "
        "WHERE l.medicine_id = s.medicine_id AND l.storefront_id = s.storefront_id) "
        "WHERE storefront_id = %s",
        [storefront],
    )
