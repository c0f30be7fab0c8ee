"""Behind PgBouncer in transaction mode (`DATABASE_TRANSACTION_POOLER=1`) the app keeps no
state on a server connection beyond a transaction, and sends no startup parameter PgBouncer
refuses."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_DATABASE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; "
    "print(json.dumps({'cursors_off': d.get('DISABLE_SERVER_SIDE_CURSORS', False), "
    "'options': d.get('OPTIONS', {}).get('options', '')}))"
)


def _database_settings(**environment) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pos_project.settings",
        "DEBUG": "1",
        "DATABASE_URL": "postgres://pos@127.0.0.1:6432/pos",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_behind_a_transaction_pooler_no_cursor_or_session_setting_outlives_a_transaction():
    pooled = _database_settings(DATABASE_TRANSACTION_POOLER="1")

    assert pooled == {"cursors_off": True, "options": ""}


def test_straight_to_postgresql_the_timeouts_are_set_when_connecting():
    direct = _database_settings(DATABASE_TRANSACTION_POOLER="0")

    assert direct["cursors_off"] is False
    assert "-c lock_timeout=" in direct["options"]
    assert "-c statement_timeout=" in direct["options"]
