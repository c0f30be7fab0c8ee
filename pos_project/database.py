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


def commit_without_waiting_for_the_disk() -> None:
    """Let the transaction just begun commit without waiting for its write-ahead log to reach
    the disk (PostgreSQL's `synchronous_commit`, for this transaction alone).

    Only for a transaction whose loss in a crash is harmless, such as an Idempotency-Key's
    claim: its row only says "in progress". A later transaction that commits normally
    flushes the log up to its own end, this one's included, so the claim is on disk before
    any change made under it is reported done; a crash before that loses at most a claim
    whose work never committed, and a retry claims the key again. It spares one wait for
    the disk per keyed request. Inside a transaction opened by a caller (a savepoint), the
    setting would cover the caller's whole transaction: then it does nothing. SQLite has no
    such setting.
    """
    if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


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
