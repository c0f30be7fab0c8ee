"""`check_ledgers` on a live shop, on PostgreSQL with real threads.

One thread runs the check again and again while another records payments and completes
on-account sales: every run must agree, since the check reads one snapshot. The figures
printed (run with -s) are the ones quoted in the closing note.
"""

import threading
import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from customers.receivables import customer_record_payment
from medicine.models import Stock
from pos_project.actors import Actor
from pos_project.models import Role
from sales.services import sale_complete, sale_create, sale_item_add
from tests.concurrency import report
from tests.conftest import requires_postgres
from tests.customers.test_receivables_service import sell_on_account
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CHECK_RUNS = 40
CUSTOMERS = 8


def test_check_ledgers_agrees_while_the_shop_records_payments_and_sales():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    cashier = StaffMemberFactory(business=business, role=Role.CASHIER).user
    actor = Actor.for_user(cashier)
    medicine = MedicineFactory(business=business, prix_br=Decimal("12.00"))
    Stock.objects.create(medicine=medicine, storefront=storefront, quantity=100_000)
    customers = [
        CustomerFactory(business=business, credit_limit=Decimal("100000.00"))
        for _ in range(CUSTOMERS)
    ]
    for customer in customers:
        sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="500.00")
    done, failures, changes = threading.Event(), [], [0]

    def shop():
        try:
            while not done.is_set():
                for customer in customers:
                    customer_record_payment(
                        customer=customer, amount="1.00", method="CASH", actor=actor
                    )
                    sale = sale_create(
                        business=business, storefront=storefront, customer=customer, actor=actor
                    )
                    sale_item_add(sale=sale, medicine=medicine, quantity=1)
                    sale_complete(
                        sale=sale,
                        payments=[{"method": "ON_ACCOUNT", "amount": "12.00"}],
                        actor=actor,
                    )
                    changes[0] += 2
        except Exception as error:
            failures.append(f"shop: {error!r}")
        finally:
            connection.close()

    def checks():
        try:
            for _ in range(CHECK_RUNS):
                try:
                    call_command("check_ledgers", stdout=StringIO())
                except CommandError as error:
                    failures.append(str(error))
        finally:
            done.set()
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=shop), threading.Thread(target=checks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    elapsed = time.monotonic() - started

    assert failures == []
    assert changes[0] > 0
    call_command("check_ledgers", stdout=StringIO())
    report(
        f"check_ledgers live: {CHECK_RUNS} runs, {len(failures)} failures, "
        f"{changes[0]} payments and completions meanwhile, {elapsed:.1f}s"
    )
