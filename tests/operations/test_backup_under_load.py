"""A backup taken while a till keeps recording payments restores to proven ledgers."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection

from customers.models import CustomerPayment
from customers.receivables import customer_record_payment
from pos_project.actors import Actor
from tests.concurrency import report
from tests.conftest import requires_postgres
from tests.operations.conftest import requires_backup_tools

pytestmark = [
    requires_postgres,
    requires_backup_tools,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

PAYMENTS = 150


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
