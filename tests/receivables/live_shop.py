"""A live shop for `check_ledgers`: one thread runs the check again and again while another
records payments and completes on-account sales, each through its own connection."""

import threading
import time
from decimal import Decimal
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection

from pos_project.actors import Actor
from pos_project.models import Role
from receivables.services import customer_record_payment
from sales.services import sale_complete, sale_create, sale_item_add
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory

CUSTOMERS = 8


def check_while_selling(runs: int) -> dict:
    """Run check_ledgers `runs` times while another thread sells; the figures of the race."""
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    actor = Actor.for_user(StaffMemberFactory(business=business, role=Role.CASHIER).user)
    medicine = MedicineFactory(business=business, prix_br=Decimal("12.00"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=100_000)
    customers = [
        CustomerFactory(business=business, credit_limit=Decimal("100000.00"))
        for _ in range(CUSTOMERS)
    ]
    done, failures, changes = threading.Event(), [], [0]

    def sell(customer):
        sale = sale_create(business=business, storefront=storefront, customer=customer, actor=actor)
        sale_item_add(sale=sale, medicine=medicine, quantity=1)
        sale_complete(
            sale=sale, payments=[{"method": "ON_ACCOUNT", "amount": "12.00"}], actor=actor
        )

    for customer in customers:
        sell(customer)

    def shop():
        try:
            while not done.is_set():
                for customer in customers:
                    customer_record_payment(
                        customer=customer, amount="1.00", method="CASH", actor=actor
                    )
                    sell(customer)
                    changes[0] += 2
        except Exception as error:
            failures.append(f"shop: {error!r}")
        finally:
            connection.close()

    def checks():
        try:
            for _ in range(runs):
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
    return {
        "runs": runs,
        "failures": failures,
        "changes": changes[0],
        "seconds": round(time.monotonic() - started, 1),
    }
