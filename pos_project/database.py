"""What a database error means for the caller (busy: retry soon), and consistent reads."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection, transaction

# PostgreSQL's SQLSTATEs for a lock that could not be had (NOWAIT, lock_timeout) and for a
# statement cancelled by statement_timeout.
LOCK_NOT_AVAILABLE = "55P03"
QUERY_CANCELED = "57014"


def _sqlstate(error: OperationalError) -> str | None:
    return getattr(error.__cause__, "sqlstate", None)


def lock_unavailable(error: OperationalError) -> bool:
    """A row lock was held by another transaction past what this statement would wait."""
    if _sqlstate(error) == LOCK_NOT_AVAILABLE:
        return True
    # SQLite has one writer at a time: its busy timeout ran out.
    return "database is locked" in str(error)


DEADLOCK_DETECTED = "40P01"


def busy_reason(error: Exception) -> str | None:
    """Why the database gave up on a statement that may succeed if sent again ("lock_timeout",
    "statement_timeout", "deadlock"), or None for any other error. The transaction rolled back
    whole, so nothing changed."""
    if not isinstance(error, OperationalError):
        return None
    if lock_unavailable(error):
        return "lock_timeout"
    return {QUERY_CANCELED: "statement_timeout", DEADLOCK_DETECTED: "deadlock"}.get(
        _sqlstate(error)
    )


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Every query inside reads the database as it was at the first one: a check that runs
    many queries never sees half of a change committed meanwhile.

    PostgreSQL: one REPEATABLE READ, READ ONLY transaction. SQLite: one deferred read
    transaction, which in write-ahead-log mode keeps its snapshot while the tills go on
    writing. It is begun by hand rather than with `atomic`, because `atomic` follows the
    connection's transaction mode, and an IMMEDIATE one would lock every till out for the
    whole check. Inside a transaction already open, the caller's transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        # Read only: ending the transaction just lets go of the snapshot.
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")
