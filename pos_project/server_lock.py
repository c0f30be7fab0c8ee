"""Tells whether a server is running on the SQLite database file.

Every server process (WSGI or ASGI) holds a shared lock on a file beside the database for as
long as it runs; the kernel releases it when the process ends, however it ends. A command that
must not run under a live server (replacing the database) takes the lock exclusively: it fails
at once while any server holds it, and a server starting meanwhile waits until it is done.
"""

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

_held = []


class ServerRunning(Exception):
    pass


def server_lock_path(database: dict | None = None) -> Path | None:
    """The lock file of an SQLite database on disk; None for PostgreSQL or in-memory SQLite."""
    database = database or settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if not database["ENGINE"].endswith("sqlite3") or not name or "memory" in name:
        return None
    return Path(name).with_name(Path(name).name + ".server-lock")


def hold_server_lock() -> None:
    """Called once by each server process at start-up."""
    path = server_lock_path()
    if path is None:
        return
    stream = path.open("a")
    fcntl.flock(stream, fcntl.LOCK_SH)
    _held.append(stream)


@contextmanager
def server_stopped(database: dict | None = None):
    """Hold the database to this process alone; ServerRunning if a server holds it."""
    path = server_lock_path(database)
    if path is None:
        yield
        return
    with path.open("a") as stream:
        try:
            fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ServerRunning(str(path)) from None
        try:
            yield
        finally:
            fcntl.flock(stream, fcntl.LOCK_UN)
