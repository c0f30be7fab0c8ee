"""How each database engine copies itself out, into a scratch database, and back in.

SQLite uses its online backup API, which copies a consistent snapshot while other connections
keep working (a writer waits at most for the copy, within the connection's busy timeout).
PostgreSQL uses `pg_dump` in custom format and `pg_restore`, which must be at least the
server's major version.

On PostgreSQL each command runs as the role `docs/operations.md` names: `backup` as the
application's role (it reads every table and sequence, and writes nothing but the file and
its record), `verify_backup` and `restore` as the tables' owner. A role that lacks a right
gets a CommandError saying which and what to grant, never a traceback.
"""

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.db import connection as default_connection
from tqdm import tqdm

from pos_project.server_lock import ServerRunning, server_stopped


def engine_for(connection=default_connection) -> "Engine":
    if connection.vendor == "postgresql":
        return PostgresEngine(connection)
    if connection.vendor == "sqlite":
        return SqliteEngine(connection)
    raise CommandError(f"Backups of {connection.vendor} databases are not supported.")


class Engine:
    suffix = ""

    def __init__(self, connection):
        self.connection = connection
        self.settings = connection.settings_dict

    @property
    def label(self) -> str:
        """The database's own name, safe in a file name; no business is named in it."""
        return re.sub(r"[^A-Za-z0-9_-]+", "_", self.database_name()).strip("_") or "database"

    def database_name(self) -> str:
        return str(self.settings["NAME"])


class SqliteEngine(Engine):
    suffix = ".sqlite3"

    def database_name(self) -> str:
        return Path(str(self.settings["NAME"])).stem

    def dump(self, target: Path, *, progress: bool) -> None:
        self.connection.ensure_connection()
        source = self.connection.connection
        with closing_sqlite(target) as copy, _bar(progress, "pages") as bar:

            def report(status, remaining, total):
                bar.total = total
                bar.update(total - remaining - bar.n)

            # One step: a stepped copy restarts whenever another connection writes between
            # steps, and a busy till would keep restarting it.
            source.backup(copy, pages=-1, progress=report)

    @contextmanager
    def scratch_copy(self, backup: Path):
        with tempfile.TemporaryDirectory(prefix="pos-verify-") as folder:
            scratch = Path(folder) / "scratch.sqlite3"
            shutil.copyfile(backup, scratch)
            _sqlite_integrity(scratch)
            yield f"sqlite:///{scratch}"

    def refuse_if_in_use(self):
        return server_stopped(self.settings)

    def replace_current(self, backup: Path) -> None:
        _sqlite_integrity(backup)
        self.connection.ensure_connection()
        with closing_sqlite(backup) as source:
            source.backup(self.connection.connection, pages=-1)


class PostgresEngine(Engine):
    suffix = ".pgdump"

    def dump(self, target: Path, *, progress: bool) -> None:
        self._check_tool("pg_dump")
        tables = len(self.connection.introspection.table_names())
        command = ["pg_dump", "--format=custom", "--no-owner", "--verbose", f"--file={target}"]
        with _bar(progress, "tables", total=tables) as bar:
            process = subprocess.Popen(
                [*command, self.settings["NAME"]],
                env=self._env(),
                stderr=subprocess.PIPE,
                text=True,
            )
            errors = []
            for line in process.stderr:
                if "dumping contents of table" in line:
                    bar.update(1)
                elif "error" in line.lower():
                    errors.append(line.strip())
            if process.wait() != 0:
                failure = "; ".join(errors) or "see above"
                hint = (
                    " Give the role the application's grants: `manage.py grant_app_role "
                    f"{self.settings['USER']}` as the tables' owner."
                    if "permission denied" in failure
                    else ""
                )
                raise CommandError(f"pg_dump failed: {failure}.{hint}")

    @contextmanager
    def scratch_copy(self, backup: Path):
        self._check_tool("pg_restore")
        name = f"{self.label[:40]}_verify_{secrets.token_hex(4)}"
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        except DatabaseError as error:
            raise CommandError(
                f"{self.settings['USER']} cannot create the scratch database the proof is "
                f"restored into ({str(error).strip()}). Run verify_backup as the tables' "
                "owner (manage.py uses MIGRATE_DATABASE_URL for it), a role with CREATEDB: "
                "ALTER ROLE <owner> CREATEDB. The application's role needs no such right."
            ) from None
        try:
            # Grants name the source's roles, which need not exist where the copy is proven.
            self._run(
                [
                    *("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"),
                    *(f"--dbname={name}", backup),
                ]
            )
            yield self._url(name)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def refuse_if_in_use(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            (others,) = cursor.fetchone()
        if others:
            raise ServerRunning(f"{others} other connection(s) to {self.settings['NAME']}")
        yield

    def replace_current(self, backup: Path) -> None:
        """Drop and recreate the schema and load the backup in one transaction: a failure
        anywhere leaves the database as it was. The backup is read whole before anything
        is dropped, so a damaged one is refused first."""
        self._check_tool("pg_restore")
        self._check_tool("psql")
        self.connection.close()
        with tempfile.TemporaryDirectory(prefix="pos-restore-") as folder:
            script = Path(folder) / "restore.sql"
            # The grants are given again after the load (see `restore`), to the roles this
            # database grants to, which need not be those of the database backed up.
            self._run(["pg_restore", "--no-owner", "--no-privileges", f"--file={script}", backup])
            self._run(
                [
                    *("psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1"),
                    *("--single-transaction", f"--dbname={self.settings['NAME']}"),
                    *("--command=DROP SCHEMA public CASCADE", "--command=CREATE SCHEMA public"),
                    f"--file={script}",
                ]
            )

    def _check_tool(self, tool: str) -> None:
        if shutil.which(tool) is None:
            raise CommandError(
                f"{tool} was not found on PATH. Install the PostgreSQL client tools of the "
                "server's version (Debian: apt-get install postgresql-client-15)."
            )
        version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
        tool_major = int(re.search(r"(\d+)(?:\.\d+)?", version).group(1))
        self.connection.ensure_connection()
        server_major = self.connection.pg_version // 10000
        if tool_major < server_major:
            raise CommandError(
                f"{tool} {tool_major} cannot work with a PostgreSQL {server_major} server; "
                f"install postgresql-client-{server_major}."
            )

    def _run(self, command: list) -> None:
        completed = subprocess.run(
            [str(part) for part in command],
            env=self._env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise CommandError(f"{command[0]} failed: {completed.stderr.strip()}")

    def _env(self) -> dict:
        env = dict(os.environ)
        for variable, key in (
            ("PGHOST", "HOST"),
            ("PGPORT", "PORT"),
            ("PGUSER", "USER"),
            ("PGPASSWORD", "PASSWORD"),
        ):
            if self.settings.get(key):
                env[variable] = str(self.settings[key])
        return env

    def _url(self, name: str) -> str:
        user = quote(self.settings.get("USER") or "", safe="")
        password = quote(self.settings.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = self.settings.get("HOST") or "localhost"
        port = f":{self.settings['PORT']}" if self.settings.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{name}"


@contextmanager
def closing_sqlite(path: Path):
    database = sqlite3.connect(path)
    try:
        yield database
    finally:
        database.close()


def _sqlite_integrity(path: Path) -> None:
    try:
        with closing_sqlite(path) as database:
            (result,) = database.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path.name} is not a readable SQLite database: {error}") from None
    if result != "ok":
        raise CommandError(f"{path.name} fails SQLite's integrity check: {result}")


def _bar(enabled: bool, unit: str, total: int | None = None):
    # tqdm hides itself when stderr is not a terminal (cron, CI).
    return tqdm(total=total, unit=f" {unit}", disable=None if enabled else True, leave=False)
