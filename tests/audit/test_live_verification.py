"""verify_audit_log on a shop that keeps selling: run in a loop while another thread records
payments and completes sales, every run passes, on SQLite (WAL) and on PostgreSQL.

Reading the chain head after the walk, or outside one snapshot, made an entry committed
meanwhile look like a removed one: tampering reported on an untouched trail.
"""

import sqlite3
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditLog
from pos_project.actors import Actor
from receivables.services import customer_record_payment
from sales.services import sale_complete, sale_create, sale_item_add
from tests.concurrency import report
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory

pytestmark = pytest.mark.django_db(transaction=True)

VERIFIER_RUNS = 40
# The checks go on until the till has sold at least this many, so that they overlap it.
SALES = 40


@pytest.fixture
def shop():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    actor = Actor.for_user(StaffMemberFactory(business=business).user)
    customer = CustomerFactory(business=business, credit_limit=Decimal("1000000.00"))
    medicine = MedicineFactory(business=business, prix_br=Decimal("12.30"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=100_000)
    return business, storefront, actor, customer, medicine


@pytest.fixture
def database_threads_can_share(tmp_path, monkeypatch):
    """On SQLite, a file database in WAL mode holding what the test set up so far.

    The test database lives in memory, where connections share one cache and lock whole
    tables, so readers and writers could not overlap as they do in a shop. Its content is
    copied to a file in WAL mode, and the threads' connections open that file. On
    PostgreSQL there is nothing to do: every connection sees the same database.
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "shop.sqlite3"
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    monkeypatch.setitem(connection.settings_dict, "NAME", str(path))
    yield


def _sell_and_collect(shop, stop: threading.Event, done: list, errors: list):
    business, storefront, actor, customer, medicine = shop
    try:
        while not stop.is_set():
            sale = sale_create(
                business=business, storefront=storefront, customer=customer, actor=actor
            )
            sale_item_add(sale=sale, medicine=medicine, quantity=1)
            sale.refresh_from_db()
            payment = [{"method": "ON_ACCOUNT", "amount": sale.total_amount}]
            sale_complete(sale=sale, payments=payment, actor=actor)
            customer_record_payment(
                customer=customer, amount=sale.total_amount, method="CASH", actor=actor
            )
            done.append(sale.pk)
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()


def _verify_repeatedly(outcomes: list, sold: list, stop: threading.Event):
    try:
        while len(outcomes) < VERIFIER_RUNS or (len(sold) < SALES and not stop.is_set()):
            out = StringIO()
            try:
                call_command("verify_audit_log", stdout=out)
                outcomes.append(("passed", out.getvalue()))
            except CommandError as failure:
                outcomes.append(("failed", f"{out.getvalue()}{failure}"))
    finally:
        stop.set()
        connection.close()


def test_verification_passes_every_time_while_the_shop_sells(shop, database_threads_can_share):
    # given a till that keeps completing sales on account and taking their payment
    stop = threading.Event()
    sold, errors, outcomes = [], [], []
    till = threading.Thread(target=_sell_and_collect, args=(shop, stop, sold, errors))
    checker = threading.Thread(target=_verify_repeatedly, args=(outcomes, sold, stop))
    till.start()
    # when the audit log is verified again and again meanwhile
    checker.start()
    checker.join(timeout=300)
    till.join(timeout=60)
    # then the till never failed and every verification passed
    chains_seen = len({output for _, output in outcomes})
    report(
        f"\n{connection.vendor}: {len(outcomes)} verify_audit_log runs while {len(sold)} "
        f"sales were completed and paid ({_entries_written(shop[0])} audit entries; "
        f"{chains_seen} different chain lengths seen): "
        f"{sum(1 for outcome, _ in outcomes if outcome == 'passed')} passed"
    )
    assert not errors, errors
    assert len(outcomes) >= VERIFIER_RUNS and len(sold) >= SALES
    assert [output for outcome, output in outcomes if outcome == "failed"] == []
    # and the runs really overlapped the selling: the chain grew between them
    assert chains_seen > 1


def _entries_written(business) -> int:
    result = []
    reader = threading.Thread(
        target=lambda: (
            result.append(AuditLog.objects.filter(business=business).count()),
            connection.close(),
        )
    )
    reader.start()
    reader.join()
    return result[0]
