"""restore refuses to replace an SQLite database under a running server, and says so."""

import fcntl
import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings

from operations.backups import checksum_path, file_sha256
from pos_project.server_lock import ServerRunning, server_lock_path, server_stopped


def _sqlite(path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def test_a_server_holding_the_lock_blocks_an_exclusive_hold_until_it_stops(tmp_path):
    database = _sqlite(tmp_path / "db.sqlite3")
    with server_lock_path(database).open("a") as server:
        fcntl.flock(server, fcntl.LOCK_SH)
        with pytest.raises(ServerRunning), server_stopped(database):
            pass
    with server_stopped(database):
        pass


def test_in_memory_and_postgres_databases_have_no_lock_file():
    assert server_lock_path(_sqlite(":memory:")) is None
    assert server_lock_path({"ENGINE": "django.db.backends.postgresql", "NAME": "pos"}) is None


def test_restore_command_refuses_while_a_server_runs_and_says_how_to_stop_it(tmp_path):
    live = tmp_path / "db.sqlite3"
    sqlite3.connect(live).close()
    backup = tmp_path / "db-20260101T000000Z.sqlite3"
    sqlite3.connect(backup).close()
    checksum_path(backup).write_text(f"{file_sha256(backup)}  {backup.name}\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{live}", "BACKUP_DIR": str(tmp_path)}

    with server_lock_path(_sqlite(live)).open("a") as server:
        fcntl.flock(server, fcntl.LOCK_SH)
        refused = subprocess.run(
            [sys.executable, "manage.py", "restore", str(backup), "--yes"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    assert refused.returncode == 1
    assert "A server is using the database" in refused.stderr
    assert "Stop the server first" in refused.stderr and "Nothing was changed" in refused.stderr
    assert not (tmp_path / "before-restore").exists()
