"""Races, on PostgreSQL with real threads and real connections.

Each thread runs the service as a till would, through its own connection, and closes it at
the end. The figures printed (run with -s) are the ones quoted in the closing note.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Sum

from customers.models import Customer
from medicine.models import Stock
from pos_project.actors import Actor
from receivables.models import CustomerLedgerEntry
from sales.models import Sale, SaleStatus
from sales.services import (
    sale_complete,
    sale_create,
    sale_item_add,
    sale_update_customer,
)
from tests.concurrency import race, report
from tests.conftest import requires_postgres
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business, name="Main")
    cashier = StaffMemberFactory(business=business).user
    return business, storefront, Actor.for_user(cashier)


def _draft(shop, medicine, quantity=1, customer=None):
    business, storefront, actor = shop
    sale = sale_create(business=business, storefront=storefront, customer=customer, actor=actor)
    sale_item_add(sale=sale, medicine=medicine, quantity=quantity)
    sale.refresh_from_db()
    return sale


def test_concurrent_on_account_completions_never_exceed_the_limit(shop):
    business, storefront, actor = shop
    customer = CustomerFactory(business=business, credit_limit=Decimal("200.00"))
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    StockFactory(medicine=medicine, storefront=storefront, quantity=1000)
    drafts = [_draft(shop, medicine, customer=customer) for _ in range(20)]

    outcomes = race(
        [
            lambda sale=sale: sale_complete(
                sale=sale,
                payments=[{"method": "ON_ACCOUNT", "amount": sale.total_amount}],
                actor=actor,
            ).receipt_number
            for sale in drafts
        ]
    )

    succeeded = [o for o in outcomes if o[0] == "ok"]
    refused = [o for o in outcomes if o[0] == "refused"]
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    customer.refresh_from_db()
    ledger = CustomerLedgerEntry.objects.filter(customer=customer).aggregate(s=Sum("amount"))["s"]
    report(
        f"\n20 on-account completions at 25.40 against a 200.00 limit: {len(succeeded)} "
        f"succeeded, {len(refused)} refused ({set(r[1] for r in refused)}); balance "
        f"{customer.outstanding_balance}, ledger sum {ledger}"
    )
    assert len(succeeded) == 7  # 7 x 25.40 = 177.80; an 8th would make 203.20
    assert {r[1] for r in refused} == {"credit_limit_exceeded"}
    assert customer.outstanding_balance == Decimal("177.80") <= customer.credit_limit
    assert ledger == customer.outstanding_balance
    assert customer.sales_count == 7


def test_concurrent_completions_never_share_or_skip_a_receipt_number(shop):
    business, storefront, actor = shop
    medicines = [MedicineFactory(business=business) for _ in range(3)]
    for medicine in medicines:
        StockFactory(medicine=medicine, storefront=storefront, quantity=1000)
    drafts = [_draft(shop, medicines[i % 3]) for i in range(20)]

    outcomes = race(
        [
            lambda sale=sale: sale_complete(
                sale=sale, payments=[{"method": "CASH", "amount": "100.00"}], actor=actor
            ).receipt_number
            for sale in drafts
        ]
    )

    assert all(o[0] == "ok" for o in outcomes), outcomes
    numbers = sorted(o[1] for o in outcomes)
    report(f"\n20 concurrent completions: receipts {numbers[0]} .. {numbers[-1]}, all distinct")
    assert numbers == [f"S-{n:06d}" for n in range(1, 21)]
    assert sorted(Sale.objects.values_list("receipt_sequence", flat=True)) == list(range(1, 21))


def test_stock_never_goes_below_zero(shop):
    business, storefront, actor = shop
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=5)
    drafts = [_draft(shop, medicine, quantity=2) for _ in range(10)]

    outcomes = race(
        [
            lambda sale=sale: sale_complete(
                sale=sale, payments=[{"method": "CASH", "amount": "60.00"}], actor=actor
            ).receipt_number
            for sale in drafts
        ]
    )

    succeeded = [o for o in outcomes if o[0] == "ok"]
    refused = {o[1] for o in outcomes if o[0] == "refused"}
    stock = Stock.objects.get(medicine=medicine).quantity
    report(f"\n10 sales of 2 against 5 on the shelf: {len(succeeded)} sold, stock left {stock}")
    assert len(succeeded) == 2
    assert refused == {"insufficient_stock"}
    assert stock == 1
    assert Sale.objects.filter(status=SaleStatus.COMPLETED).count() == 2


def test_update_customer_racing_complete_leaves_a_consistent_sale(shop):
    business, storefront, actor = shop
    first = CustomerFactory(business=business, credit_limit=None)
    second = CustomerFactory(business=business, credit_limit=None)
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=1000)

    results = []
    for _round in range(8):
        sale = _draft(shop, medicine, customer=first)
        outcomes = race(
            [
                lambda sale=sale: sale_complete(
                    sale=sale,
                    payments=[{"method": "ON_ACCOUNT", "amount": sale.total_amount}],
                    actor=actor,
                ).customer_id,
                lambda sale=sale: sale_update_customer(
                    sale=sale, customer_id=second.pk, actor=actor
                ).new_customer,
            ]
        )
        assert outcomes[0][0] == "ok", outcomes
        sale.refresh_from_db()
        charged = CustomerLedgerEntry.objects.get(sale=sale)
        # Whoever went first, the charge is on the sale's final customer, and the customer
        # change either happened before completion or was refused after it.
        assert charged.customer_id == sale.customer_id
        if outcomes[1][0] == "ok":
            assert sale.customer_id == second.pk
        else:
            assert outcomes[1] == ("refused", None)  # the seed's non-DRAFT body has no code
            assert sale.customer_id == first.pk
        results.append("update first" if outcomes[1][0] == "ok" else "complete first")

    for customer in (first, second):
        customer.refresh_from_db()
        ledger = CustomerLedgerEntry.objects.filter(customer=customer).aggregate(s=Sum("amount"))[
            "s"
        ] or Decimal("0.00")
        assert ledger == customer.outstanding_balance
        assert (
            customer.sales_count
            == Sale.objects.filter(customer=customer, status=SaleStatus.COMPLETED).count()
        )
    report(f"\nupdate_customer vs complete, 8 rounds: {results}")
    assert Customer.objects.filter(outstanding_balance__lt=0).count() == 0


def test_a_completion_in_progress_leaves_the_business_row_free(shop):
    """The receipt sequence and the audit head are locked without the business row.

    Locking the business row would queue every new sale of the shop (its foreign key takes
    a share lock on that row) behind each completion in progress.
    """
    business, storefront, actor = shop
    medicine = MedicineFactory(business=business)
    StockFactory(medicine=medicine, storefront=storefront, quantity=10)
    sale = _draft(shop, medicine)
    held, release = threading.Event(), threading.Event()

    def complete_and_hold():
        try:
            with transaction.atomic():
                sale_complete(
                    sale=sale, payments=[{"method": "CASH", "amount": "1000"}], actor=actor
                )
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=complete_and_hold)
    holder.start()
    try:
        assert held.wait(timeout=30)
        with connection.cursor() as cursor:
            # NOWAIT: an error at once if the completion held the business row.
            cursor.execute(
                "SELECT 1 FROM pos_project_business WHERE id = %s FOR KEY SHARE NOWAIT",
                [business.pk],
            )
            assert cursor.fetchone() == (1,)
        other = sale_create(business=business, storefront=storefront, actor=actor)
        assert other.status == SaleStatus.DRAFT
    finally:
        release.set()
        holder.join(timeout=30)
        connection.close()
