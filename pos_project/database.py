"""What a database error means for the caller: busy (retry soon) or broken."""

from django.db import OperationalError

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


def database_busy(error: Exception) -> bool:
    """A lock wait or a statement ran past its bound: the same request may succeed later."""
    if not isinstance(error, OperationalError):
        return False
    return lock_unavailable(error) or _sqlstate(error) == QUERY_CANCELED
