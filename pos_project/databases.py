"""The default database's settings, from `DATABASE_URL` (SQLite in a file when unset), tuned
for the engine it names. Called by the settings, before Django is set up."""

from pathlib import Path

import dj_database_url


def is_postgresql(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.postgresql"


def default_database(
    *,
    sqlite_path: Path,
    conn_max_age: int,
    sqlite_busy_timeout: str,
    lock_timeout_ms: int,
    statement_timeout_ms: int,
    transaction_pooler: bool,
) -> dict:
    database = dj_database_url.config(
        default=f"sqlite:///{sqlite_path}",
        conn_max_age=conn_max_age,
        conn_health_checks=True,
    )
    if not is_postgresql(database):
        # SQLite serialises writers. A transaction that starts reading and only later writes
        # cannot wait for another writer (SQLite answers "database is locked" at once), so
        # every transaction takes the write lock when it opens; a second till then waits its
        # turn, up to the busy timeout in seconds, and gets the same answer it would get on
        # PostgreSQL. The write-ahead log lets a long read (check_ledgers' snapshot) and the
        # tills' writes proceed side by side instead of blocking each other. (Read here only:
        # a PostgreSQL deployment never needs the setting to be a number.)
        database.setdefault("OPTIONS", {}).update(
            {
                "timeout": int(sqlite_busy_timeout),
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            }
        )
    elif transaction_pooler:
        # Behind a pooler in transaction mode (PgBouncer `pool_mode = transaction`), each
        # transaction may run on another server connection: nothing may outlive a
        # transaction on it. So no server-side cursors (a named cursor lives across
        # transactions), and no session settings sent at connect time (PgBouncer refuses the
        # `options` startup parameter): the timeouts are then the pooler's `connect_query` or
        # the role's own settings (`ALTER ROLE ... SET lock_timeout = ...`), see
        # docs/performance.md.
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        options = database.setdefault("OPTIONS", {})
        options["options"] = " ".join(
            part
            for part in (
                options.get("options", ""),
                f"-c lock_timeout={lock_timeout_ms}",
                f"-c statement_timeout={statement_timeout_ms}",
            )
            if part
        )
    return database
