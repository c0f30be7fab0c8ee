"""The lock order of docs/locking.md, raced on PostgreSQL with real threads.

`update_customer` to a customer races that customer's payments and on-account completions,
and a change of the business's details races money recorded for it, round after round:
every outcome must be a success, never a deadlock or a lock wait answered as an error.
The figures printed (run with -s) are the ones quoted in the closing note.
"""

import time
from decimal import Decimal

import pytest

from pos_project.actors import Actor
from pos_project.models import Business
from receivables.models import CustomerPayment
from receivables.services import customer_record_payment
from sales.models import Sale, SaleStatus
from sales.services import sale_complete, sale_create, sale_item_add, sale_update_customer
from staff.services import business_update
from tests.concurrency import race, report
from tests.conftest import requires_postgres
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.receivables.test_receivables_service import sell_on_account

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 30


@pytest.fixture
def shop():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    manager = StaffMemberFactory(business=business, role="MANAGER").user
    medicine = MedicineFactory(business=business, prix_br=Decimal("20.00"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=100_000)
    customer = CustomerFactory(business=business, credit_limit=Decimal("1000000.00"))
    sell_on_account(storefront=storefront, user=manager, customer=customer, amount="5000.00")
    return business, storefront, Actor.for_user(manager), medicine, customer


def _draft(shop, customer=None):
    business, storefront, actor, medicine, _ = shop
    sale = sale_create(business=business, storefront=storefront, customer=customer, actor=actor)
    sale_item_add(sale=sale, medicine=medicine, quantity=1)
    return sale


def _errors(outcomes) -> list:
    return [outcome for outcome in outcomes if outcome[0] != "ok"]


def test_update_customer_racing_that_customers_money_never_fails(shop):
    _, _, actor, _, customer = shop
    failures, started = [], time.monotonic()
    for _round in range(ROUNDS):
        walk_in = _draft(shop)
        on_account = _draft(shop, customer=customer)
        outcomes = race(
            [
                lambda sale=walk_in: sale_update_customer(
                    sale=sale, customer_id=customer.pk, actor=actor
                ),
                lambda: customer_record_payment(
                    customer=customer, amount="5.00", method="CASH", actor=actor
                ),
                lambda sale=on_account: sale_complete(
                    sale=sale, payments=[{"method": "ON_ACCOUNT", "amount": "20.00"}], actor=actor
                ),
                lambda: customer_record_payment(
                    customer=customer, amount="5.00", method="CARD", actor=actor
                ),
            ]
        )
        failures.extend(_errors(outcomes))
    elapsed = time.monotonic() - started

    assert failures == []
    assert Sale.objects.filter(customer=customer, status=SaleStatus.DRAFT).count() == ROUNDS
    assert CustomerPayment.objects.filter(customer=customer).count() == 2 * ROUNDS
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("5000.00") + ROUNDS * (
        Decimal("20.00") - Decimal("10.00")
    )
    report(
        f"update_customer vs payments and completions: {ROUNDS} rounds x 4 threads, "
        f"{len(failures)} errors, {elapsed:.1f}s"
    )


def test_business_update_racing_money_never_fails(shop):
    business, _, actor, _, customer = shop
    # The business's settings are the owner's alone; the manager takes the money.
    owner = Actor.for_user(StaffMemberFactory(business=business, role="OWNER").user)
    failures, started = [], time.monotonic()
    for index in range(ROUNDS):
        draft = _draft(shop, customer=customer)

        def rename(index=index):
            edited = Business.objects.get(pk=business.pk)
            edited.name = f"Pharmacie Atlas {index}"
            return business_update(business=edited, actor=owner)

        outcomes = race(
            [
                rename,
                lambda: customer_record_payment(
                    customer=customer, amount="5.00", method="CASH", actor=actor
                ),
                lambda sale=draft: sale_complete(
                    sale=sale, payments=[{"method": "ON_ACCOUNT", "amount": "20.00"}], actor=actor
                ),
            ]
        )
        failures.extend(_errors(outcomes))
    elapsed = time.monotonic() - started

    assert failures == []
    assert Business.objects.get(pk=business.pk).name == f"Pharmacie Atlas {ROUNDS - 1}"
    report(
        f"business_update vs payments and completions: {ROUNDS} rounds x 3 threads, "
        f"{len(failures)} errors, {elapsed:.1f}s"
    )
