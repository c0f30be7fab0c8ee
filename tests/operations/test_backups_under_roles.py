"""Backups in the production setup: the tables migrated by an owner role, the server running
as the role `grant_app_role` limits. Every command runs through `manage.py` in its own
process with the server's environment, as the cron line and the systemd unit do, under the
role `docs/operations.md` names for it:

- `migrate`, `grant_app_role`, `verify_backup`, `restore`: the owner (`MIGRATE_DATABASE_URL`);
- `backup`, `check_ledgers`, `verify_audit_log`, the server: the application's role.
"""

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import requires_postgres
from tests.operations.conftest import requires_backup_tools

pytestmark = [requires_postgres, requires_backup_tools, pytest.mark.postgres]


@dataclass(frozen=True)
class Deployment:
    owner: str
    app: str
    database: str
    spare_database: str

    def url(self, role: str, database: str | None = None) -> str:
        server = connection.settings_dict
        host = server["HOST"] or "127.0.0.1"
        port = server["PORT"] or 5432
        return f"postgres://{role}@{host}:{port}/{database or self.database}"

    def server_env(self, database: str | None = None) -> dict:
        """The server's environment, as `pos.env` holds it: both roles' addresses."""
        return {
            **self.app_env(database),
            "MIGRATE_DATABASE_URL": self.url(self.owner, database),
        }

    def app_env(self, database: str | None = None) -> dict:
        """The application's role alone: nothing here can fall back on the owner."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "MIGRATE_DATABASE_URL")
        }
        return {
            **env,
            "DEBUG": "0",
            "SECRET_KEY": "production-like-secret-key-for-the-role-tests-" + "x" * 20,
            "AUDIT_HMAC_KEY": "production-like-audit-key-for-the-role-tests-0123456789",
            "ALLOWED_HOSTS": "pos.example.com",
            "DATABASE_URL": self.url(self.app, database),
        }


def manage(env: dict, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *map(str, arguments)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def succeeded(completed: subprocess.CompletedProcess) -> str:
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    return completed.stdout


def _superuser():
    server = connection.settings_dict
    return psycopg.connect(
        host=server["HOST"] or "127.0.0.1",
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture(scope="module")
def deployment():
    """Two roles set up as the README says, a database migrated by the owner and granted to
    the application's role, and a second one like it: the new machine a backup moves to."""
    suffix = secrets.token_hex(4)
    deployment = Deployment(
        owner=f"pos_owner_{suffix}",
        app=f"pos_app_{suffix}",
        database=f"{connection.settings_dict['NAME']}_live_{suffix}",
        spare_database=f"{connection.settings_dict['NAME']}_moved_{suffix}",
    )
    with _superuser() as admin:
        # CREATEDB: verify_backup restores its proof into a scratch database of its own.
        admin.execute(f'CREATE ROLE "{deployment.owner}" LOGIN CREATEDB')
        admin.execute(f'CREATE ROLE "{deployment.app}" LOGIN')
        admin.execute(f'CREATE DATABASE "{deployment.database}" OWNER "{deployment.owner}"')
        try:
            with psycopg.connect(
                deployment.url(connection.settings_dict["USER"]), autocommit=True
            ) as live:
                live.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
                live.execute(f'ALTER SCHEMA public OWNER TO "{deployment.owner}"')
            succeeded(manage(deployment.server_env(), "migrate", "--no-input"))
            succeeded(manage(deployment.server_env(), "grant_app_role", deployment.app))
            # The new machine: migrated and granted the same way. A copy of the database
            # just migrated is that, without migrating twice.
            admin.execute(
                f'CREATE DATABASE "{deployment.spare_database}" '
                f'TEMPLATE "{deployment.database}" OWNER "{deployment.owner}"'
            )
            yield deployment
        finally:
            for database in (deployment.database, deployment.spare_database):
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{deployment.app}"')
            admin.execute(f'DROP ROLE IF EXISTS "{deployment.owner}"')


@pytest.fixture(scope="module")
def nightly_backup(deployment, tmp_path_factory) -> Path:
    """The shop has sold, on account and in cash, as the application's role; then the
    nightly backup ran with that role alone."""
    succeeded(manage(deployment.app_env(), "seed_demo"))
    backups = tmp_path_factory.mktemp("backups")
    written = succeeded(manage(deployment.app_env(), "backup", "--out", backups, "--keep", "14"))
    assert "Backup written" in written
    (backup,) = backups.glob("*.pgdump")
    return backup


def test_verify_backup_proves_it_as_the_owner_and_tells_the_app_role_why_not(
    deployment, nightly_backup
):
    # the application's role may not create the scratch database: a clear refusal
    refused = manage(deployment.app_env(), "verify_backup", nightly_backup)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert f"{deployment.app} cannot create the scratch database" in refused.stderr

    # the owner, as manage.py picks it from the server's environment, proves the backup
    proof = succeeded(manage(deployment.server_env(), "verify_backup", nightly_backup))
    assert "Checked 34 customers." in proof
    assert f"{nightly_backup.name} restores" in proof


def test_restored_on_a_new_machine_the_server_role_checks_the_copy(
    deployment, nightly_backup, tmp_path
):
    # restore it on the new machine, as its owner; the server's role keeps its grants
    restored = succeeded(
        manage(
            deployment.server_env(deployment.spare_database),
            *("restore", nightly_backup, "--yes", "--safety-dir", tmp_path / "safety"),
        )
    )
    assert f"{deployment.app} can use the restored database's" in restored

    # the restored copy checks out, under the server's role
    moved = deployment.app_env(deployment.spare_database)
    assert "Checked 34 customers." in succeeded(manage(moved, "check_ledgers"))
    assert "every chain is intact" in succeeded(manage(moved, "verify_audit_log"))
