"""A retried payment while the first request waits on a lock, raced on PostgreSQL.

Real threads with their own connections: one holds the customer's row as a long back-office
job would, one is the first request, one is the till's retry after the abandonment window.
"""

import threading
import time
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from customers.models import Customer
from pos_project.idempotency import Replay, run_once
from pos_project.models import IdempotencyKey
from receivables.models import CustomerPayment
from tests.concurrency import report
from tests.conftest import client_for, requires_postgres
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory
from tests.receivables.test_receivables_service import sell_on_account

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HELD_FOR_SECONDS = 4


def _payment_url(customer) -> str:
    return f"/customers/api/customers/{customer.pk}/record_payment/"


def _pay(user, customer, key, outcomes, name, *, lock_timeout_ms=None):
    try:
        if lock_timeout_ms is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
        response = client_for(user).post(
            _payment_url(customer),
            {"amount": "10.00", "method": "CASH"},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        outcomes[name] = response
    finally:
        connection.close()


def _hold_customer(customer, locked, release):
    try:
        with transaction.atomic():
            Customer.objects.select_for_update().get(pk=customer.pk)
            locked.set()
            release.wait(timeout=30)
    finally:
        connection.close()


@pytest.fixture
def debtor(business, storefront, cashier):
    customer = CustomerFactory(business=business)
    sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="100.00")
    return customer


def test_a_retry_past_the_abandonment_window_never_pays_twice(settings, cashier, debtor):
    settings.IDEMPOTENCY_ABANDONED_AFTER_SECONDS = 1
    key = str(uuid.uuid4())
    locked, release, outcomes = threading.Event(), threading.Event(), {}
    holder = threading.Thread(target=_hold_customer, args=(debtor, locked, release))
    holder.start()
    assert locked.wait(timeout=10)
    started = time.monotonic()
    first = threading.Thread(target=_pay, args=(cashier, debtor, key, outcomes, "first"))
    first.start()
    while not IdempotencyKey.objects.filter(key=key).exists():
        time.sleep(0.05)
    # Past the window: the first request is still waiting for the customer's row.
    time.sleep(settings.IDEMPOTENCY_ABANDONED_AFTER_SECONDS + 0.5)
    retry = threading.Thread(target=_pay, args=(cashier, debtor, key, outcomes, "retry"))
    retry.start()
    retry.join(timeout=HELD_FOR_SECONDS)
    release.set()
    for thread in (holder, first, retry):
        thread.join(timeout=30)
    after_release = {}
    _pay(cashier, debtor, key, after_release, "later")
    elapsed = time.monotonic() - started

    assert_error(outcomes["retry"], 409, "Request already in progress")
    assert outcomes["first"].status_code == 201, outcomes["first"].content
    assert after_release["later"].status_code == 201
    assert after_release["later"]["Idempotent-Replayed"] == "true"
    assert after_release["later"].json() == outcomes["first"].json()
    assert CustomerPayment.objects.filter(customer=debtor).count() == 1
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("90.00")
    report(f"held-lock retry: 1 payment, retry 409, first 201 after {elapsed:.2f}s")


def test_a_request_stuck_behind_a_lock_answers_503_and_its_retry_pays_once(cashier, debtor):
    key = str(uuid.uuid4())
    locked, release, outcomes = threading.Event(), threading.Event(), {}
    holder = threading.Thread(target=_hold_customer, args=(debtor, locked, release))
    holder.start()
    assert locked.wait(timeout=10)
    _pay(cashier, debtor, key, outcomes, "stuck", lock_timeout_ms=300)
    release.set()
    holder.join(timeout=30)

    retried = {}
    _pay(cashier, debtor, key, retried, "retry")

    body = assert_error(outcomes["stuck"], 503, "Busy, try again")
    assert outcomes["stuck"]["Retry-After"]
    assert "Nothing was changed" in body["message"]
    assert retried["retry"].status_code == 201
    assert CustomerPayment.objects.filter(customer=debtor).count() == 1


def test_connections_carry_the_configured_lock_and_statement_timeouts(settings):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting FROM pg_settings "
            "WHERE name IN ('lock_timeout', 'statement_timeout')"
        )
        in_force = dict(cursor.fetchall())

    assert in_force == {
        "lock_timeout": str(settings.DATABASE_LOCK_TIMEOUT_MS),
        "statement_timeout": str(settings.DATABASE_STATEMENT_TIMEOUT_MS),
    }


def _run_once_capturing(business, user, key):
    """`run_once` with a work that reads its transaction's `synchronous_commit`."""
    seen = {}

    def work():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen["work"] = cursor.fetchone()[0]
        return "done"

    with CaptureQueriesContext(connection) as captured:
        run_once(
            business=business,
            user=user,
            key=key,
            fingerprint="f" * 64,
            work=work,
            outcome=lambda result: Replay(status=200, body={"result": result}),
        )
    return [query["sql"] for query in captured], seen


def test_a_claim_commits_without_waiting_for_the_disk_and_the_work_waits(business, cashier):
    statements, seen = _run_once_capturing(business, cashier, "claim-unflushed")

    claim = statements.index("SET LOCAL synchronous_commit TO OFF")
    assert statements[claim + 1].startswith('INSERT INTO "pos_project_idempotencykey"')
    assert statements.count("SET LOCAL synchronous_commit TO OFF") == 1
    assert seen["work"] == "on"
    assert IdempotencyKey.objects.get(key="claim-unflushed").state == "COMPLETED"


def test_inside_a_callers_transaction_the_claim_leaves_its_commit_alone(business, cashier):
    with transaction.atomic():
        statements, seen = _run_once_capturing(business, cashier, "claim-nested")

    assert "SET LOCAL synchronous_commit TO OFF" not in statements
    assert seen["work"] == "on"
