"""Loading generated rows fast: PostgreSQL's COPY (executemany on SQLite) from a loader
thread, and foreign keys checked once per constraint after the load instead of by a
trigger per row. Used by `demo.bulk`, which generates the rows.
"""

import queue
import random
import threading
import time

from django.db import connection
from tqdm import tqdm

from customers.models import Customer
from receivables.models import (
    CustomerLedgerEntry,
    CustomerPayment,
    ReceivableAllocation,
)
from sales.models import Payment, Sale, SaleItem

# COPY text format: \N is NULL; our generated text never holds a tab, newline or backslash
# (names and descriptions come from the lists above), and the one free-text value taken
# from the database, the medicine's name, is escaped once.
NULL = r"\N"


def copy_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def cents_literal(value: int) -> str:
    """Integer cents as a decimal literal: 1250 -> "12.50", -5 -> "-0.05"."""
    if value < 0:
        return "-" + cents_literal(-value)
    return f"{value // 100}.{value % 100:02d}"


class TimeOrderedIds:
    """Unique, time-ordered UUIDs (the UUIDv7 layout) as 32 hex digits.

    The high half is this run's millisecond clock, the version and 12 random bits; the low
    half is the variant and a counter from a random start. Consecutive ids sort together,
    so index inserts append; two runs differ in their clock, and neither collides with the
    random (version 4) ids the application makes.
    """

    def __init__(self, rng: random.Random):
        millis = int(time.time() * 1000) & ((1 << 48) - 1)
        self.high = f"{(millis << 16) | (0x7 << 12) | rng.getrandbits(12):016x}"
        self.next = (0b10 << 62) | rng.getrandbits(60)

    def __call__(self) -> str:
        self.next += 1
        return f"{self.high}{self.next:016x}"


class _Table:
    """One table's columns, and how a batch of its rows goes into the database."""

    def __init__(self, model, columns: list[str], *, booleans: tuple[str, ...] = ()):
        self.model = model
        self.name = model._meta.db_table
        self.columns = columns
        # SQLite stores booleans as 1 and 0, not COPY's t and f.
        self.boolean_positions = [columns.index(column) for column in booleans]
        self.count = 0

    def copy_sql(self) -> str:
        quoted = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        return f"COPY {self.name} ({quoted}) FROM STDIN"

    def insert_sql(self) -> str:
        quoted = ", ".join(connection.ops.quote_name(column) for column in self.columns)
        placeholders = ", ".join(["%s"] * len(self.columns))
        return f"INSERT INTO {self.name} ({quoted}) VALUES ({placeholders})"

    def sqlite_rows(self, lines: list[str]) -> list[list]:
        rows = []
        for line in lines:
            row = [None if value == NULL else value for value in line.rstrip("\n").split("\t")]
            for position in self.boolean_positions:
                row[position] = 1 if row[position] == "t" else 0
            rows.append(row)
        return rows


TABLES = {
    "sales": _Table(
        Sale,
        ["id", "business_id", "storefront_id", "customer_id", "type", "status",
         "receipt_sequence", "receipt_number", "subtotal", "discount_total", "total_amount",
         "amount_paid", "change_due", "on_account_amount", "amount_due", "notes",
         "created_by_id", "completed_at", "cancelled_at", "cancel_reason", "created_at",
         "updated_at"],
    ),
    "items": _Table(
        SaleItem,
        ["id", "sale_id", "medicine_id", "medicine_name", "unit_price", "quantity",
         "discount", "line_total", "created_at", "updated_at"],
    ),
    "tenders": _Table(Payment, ["id", "sale_id", "method", "amount", "reference", "created_at"]),
    "debt_payments": _Table(
        CustomerPayment,
        ["id", "business_id", "customer_id", "amount", "method", "reference", "note",
         "received_by_id", "received_by_name", "created_at"],
    ),
    "ledger": _Table(
        CustomerLedgerEntry,
        ["id", "business_id", "customer_id", "sequence", "entry_type", "amount",
         "balance_after", "sale_id", "payment_id", "description", "details", "created_by_id",
         "created_by_name", "created_at"],
    ),
    "allocations": _Table(
        ReceivableAllocation,
        ["id", "business_id", "customer_id", "credit_entry_id", "sale_id", "amount",
         "created_at"],
    ),
    "customers": _Table(
        Customer,
        ["id", "business_id", "name", "search_name", "phone", "email", "address", "notes",
         "customer_type", "credit_limit", "outstanding_balance", "total_purchases",
         "sales_count", "ledger_sequence", "last_purchase_date", "is_active", "created_at",
         "updated_at"],
        booleans=("is_active",),
    ),
}  # fmt: skip


class Loader:
    """Loads batches of rows, on PostgreSQL in a thread of its own.

    The thread owns the connection while batches flow; the caller gets it back from
    `finish()`. Row counts and the progress bar move as batches land, not as they are made.
    """

    def __init__(self, progress: tqdm):
        self.progress = progress
        self.is_postgres = connection.vendor == "postgresql"
        self.error: BaseException | None = None
        if self.is_postgres:
            self.raw = connection.connection
            # Two batches waiting is enough to keep the server busy while the next is made.
            self.queue: queue.Queue = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._run, name="bulk-copy", daemon=True)
            self.thread.start()

    def submit(self, batch: dict[str, list[str]], units: int) -> None:
        if self.error is not None:
            raise self.error
        if self.is_postgres:
            self.queue.put((batch, units))
        else:
            self._load(batch, units)

    def finish(self) -> None:
        """Wait for every batch to land; re-raise the loader's error, if it had one."""
        self.stop()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        """Let the thread drain the queue and end, so the connection is free again."""
        if self.is_postgres and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()

    def _run(self) -> None:
        while (job := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self._load(*job)
                except BaseException as exc:  # handed to the caller's thread by submit/finish
                    self.error = exc

    def _load(self, batch: dict[str, list[str]], units: int) -> None:
        for key, lines in batch.items():
            if not lines:
                continue
            table = TABLES[key]
            if self.is_postgres:
                with self.raw.cursor() as cursor, cursor.copy(table.copy_sql()) as copy:
                    copy.write("".join(lines))
            else:
                with connection.cursor() as cursor:
                    cursor.executemany(table.insert_sql(), table.sqlite_rows(lines))
            table.count += len(lines)
        self.progress.update(units)


def _foreign_keys(cursor, tables: list[str]) -> list[tuple[str, str, str, str, str]] | None:
    """Single-column foreign keys of `tables`: (name, table, column, target, target column).

    None when some constraint spans several columns: those are left to the triggers.
    """
    cursor.execute(
        """
        SELECT c.conname, c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text,
               fa.attname, cardinality(c.conkey)
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
        ORDER BY 2, 1
        """,
        [tables],
    )
    rows = cursor.fetchall()
    if any(width != 1 for *_, width in rows):
        return None
    return [row[:5] for row in rows]


def skip_row_triggers(cursor, tables: list[str]) -> list | None:
    """Turn per-row foreign-key triggers off for this transaction, when that is safe.

    Returns the constraints to check in bulk afterwards, or None when the triggers stay:
    without superuser rights, or when a table has a trigger of its own that must fire.
    """
    cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(
        "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(%s::regclass[])",
        [tables],
    )
    if cursor.fetchone()[0]:
        return None
    foreign_keys = _foreign_keys(cursor, tables)
    if foreign_keys is None:
        return None
    cursor.execute("SET LOCAL session_replication_role = replica")
    return foreign_keys


def check_foreign_keys(cursor, foreign_keys, progress: tqdm) -> None:
    """What the skipped triggers would have checked, one anti-join per constraint."""
    for name, table, column, target, target_column in foreign_keys:
        cursor.execute(
            f"SELECT c.{column} FROM {table} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {target} t WHERE t.{target_column} = c.{column}) LIMIT 1"
        )
        broken = cursor.fetchone()
        if broken is not None:
            raise RuntimeError(
                f"Bulk load broke foreign key {name}: {table}.{column} = {broken[0]} has no "
                f"row in {target}."
            )
        progress.update(1)
