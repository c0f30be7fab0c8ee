"""A backup taken while a till keeps recording payments restores to proven ledgers."""

import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from pos_project.actors import Actor
from receivables.models import CustomerPayment
from receivables.services import customer_record_payment
from tests.concurrency import report
from tests.conftest import requires_postgres
from tests.operations.conftest import requires_backup_tools

pytestmark = [requires_backup_tools, pytest.mark.django_db(transaction=True)]

PAYMENTS = 150


@requires_postgres
@pytest.mark.postgres
def test_a_backup_taken_during_payments_restores_with_ledgers_and_audit_proven(
    books, tmp_path, capsys
):
    _business, customers, cashier = books
    started = threading.Event()
    recorded = []

    def till():
        actor = Actor.for_user(cashier)
        try:
            for number in range(PAYMENTS):
                customer_record_payment(
                    customer=customers[number % len(customers)],
                    amount="0.10",
                    method="CASH",
                    actor=actor,
                )
                recorded.append(number)
                if number == 10:
                    started.set()
        finally:
            started.set()
            connection.close()

    thread = threading.Thread(target=till)
    thread.start()
    started.wait(timeout=60)
    before = len(recorded)
    call_command("backup", out=tmp_path)
    during = len(recorded)
    thread.join(timeout=120)

    (backup,) = tmp_path.glob("*.pgdump")
    call_command("verify_backup", backup)
    out = capsys.readouterr().out
    assert len(recorded) == PAYMENTS
    # The till kept recording while the backup ran: the backup is of a shop in business.
    assert before < PAYMENTS and CustomerPayment.objects.count() == 3 + PAYMENTS
    assert "All ledgers, allocations, statistics and receivables summaries agree." in out
    assert "every chain is intact" in out
    report(f"backup under load: {before} payments before it started, {during} when it ended")


# A till on its own process recording payments on an SQLite file, as a single pharmacy runs.
SQLITE_TILL = """
from customers.models import Customer
from receivables.services import customer_record_payment
from pos_project.actors import Actor
from pos_project.models import Role, StaffMember
from sales.models import Till
from sales.services.tills import till_session_open

cashier = StaffMember.objects.filter(role=Role.CASHIER).first().user
# The demo pharmacy takes cash only through an open till session.
till_session_open(
    till=Till.objects.get(name="Till 1"), opening_float="200.00", actor=Actor.for_user(cashier)
)
owing = list(Customer.objects.filter(outstanding_balance__gt=5))
for number in range({payments}):
    customer_record_payment(
        customer=owing[number % len(owing)], amount="0.01", method="CASH",
        actor=Actor.for_user(cashier),
    )
    print(number + 1, flush=True)
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL test above covers it")
def test_an_sqlite_file_backed_up_while_a_till_records_payments_restores_proven(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "pos_project.test_settings",
    }

    def manage(*args, **kwargs):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            **kwargs,
        )

    assert manage("migrate", "--no-input").returncode == 0
    assert manage("seed_demo").returncode == 0
    till = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            SQLITE_TILL.format(payments=PAYMENTS),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert till.stdout.readline().strip() == "1"
    backup = manage("backup", "--out", str(tmp_path / "backups"))
    recorded, errors = till.communicate(timeout=300)

    assert backup.returncode == 0, backup.stderr
    # Every payment went through while the backup was taken: none met a locked database.
    assert till.returncode == 0, errors
    assert recorded.split()[-1] == str(PAYMENTS)
    (path,) = (tmp_path / "backups").glob("*.sqlite3")
    verified = manage("verify_backup", str(path))
    assert verified.returncode == 0, verified.stderr
    assert "every audit chain is intact" in verified.stdout
