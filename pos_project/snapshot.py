"""Reading the database as of one instant, for checks that run while the shop keeps selling."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def read_snapshot():
    """Run the block's queries against one snapshot of the database, read-only.

    On PostgreSQL that is a REPEATABLE READ, READ ONLY transaction: every query sees the
    database as of the first one, whatever commits meanwhile. On SQLite it is one deferred
    read transaction, whose snapshot starts at its first read; in WAL mode the shop's
    writers carry on meanwhile. It is opened by hand rather than with `atomic`, because
    `atomic` follows the connection's transaction mode, and an IMMEDIATE one would lock
    every writer out for the whole check.

    Inside a transaction already open, the block simply joins it.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")
