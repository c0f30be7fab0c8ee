"""`check_ledgers` on a live shop, with real threads, on PostgreSQL and on a SQLite file.

One thread runs the check again and again while another records payments and completes
on-account sales (tests/receivables/live_shop.py): every run must agree, since the check reads
one snapshot. The figures printed (run with -s) are the ones quoted in the closing note.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.concurrency import report
from tests.conftest import requires_postgres
from tests.receivables.live_shop import check_while_selling

CHECK_RUNS = 40


def _report(database: str, figures: dict) -> None:
    report(
        f"check_ledgers live on {database}: {figures['runs']} runs, "
        f"{len(figures['failures'])} failures, {figures['changes']} payments and completions "
        f"meanwhile, {figures['seconds']}s"
    )


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_ledgers_agrees_while_the_shop_records_payments_and_sales():
    figures = check_while_selling(CHECK_RUNS)

    assert figures["failures"] == []
    assert figures["changes"] > 0
    _report("PostgreSQL", figures)


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the PostgreSQL test above covers PostgreSQL"
)
def test_check_ledgers_agrees_on_a_live_sqlite_file_database(tmp_path):
    database = tmp_path / "live.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    finished = subprocess.run(
        [sys.executable, "-m", "tests.receivables.live_check_sqlite", str(CHECK_RUNS)],
        env=environment,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert finished.stdout, finished.stderr[-2000:]
    figures = json.loads(finished.stdout.strip().splitlines()[-1])
    assert figures["failures"] == []
    assert finished.returncode == 0
    assert figures["journal_mode"] == "wal"
    assert figures["changes"] > 0
    _report("SQLite (WAL)", figures)
