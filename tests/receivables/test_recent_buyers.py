"""Buyers per due slot: each change of a customer's last purchase date moves one buyer from
the slot of the old date to the slot of the new, in the transaction of the change, and
`check_ledgers` names any slot that counts otherwise."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Business, Role
from receivables.ledger_checks import receivables_summary_check
from receivables.models import ReceivablesDueSlot
from receivables.reports import recent_buyers
from receivables.summary import receivables_summary_move, slot_start
from sales.services import sale_cancel
from tests.concurrency import race
from tests.conftest import requires_postgres
from tests.customers.history import give_purchases
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.factories.sales import complete_sale

SLOTS = ReceivablesDueSlot._meta.db_table


def buyers_of(business) -> dict:
    return dict(
        ReceivablesDueSlot.objects.filter(business=business)
        .exclude(buyers=0)
        .values_list("starts_at", "buyers")
    )


def slot_writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if SLOTS in query["sql"] and not query["sql"].lstrip().upper().startswith("SELECT")
    ]


def assert_checked(business) -> None:
    assert receivables_summary_check(businesses=Business.objects.filter(pk=business.pk)) == []


@pytest.fixture
def earlier():
    """A completion time in an earlier slot than now's."""
    return timezone.now() - timedelta(hours=3)


def test_a_cash_sale_to_a_named_customer_counts_them_in_its_slot(business, sell):
    sale = sell(CustomerFactory(business=business), "40.00", on_account="0")

    assert buyers_of(business) == {slot_start(sale.completed_at): 1}
    assert_checked(business)


def test_an_on_account_sale_moves_the_buyer_in_the_update_of_its_amount_due(
    business, sell, earlier
):
    customer = CustomerFactory(business=business)
    first = sell(customer, "40.00", on_account="0", completed_at=earlier)
    # Another customer's sale made this slot's row: the first sale of a slot makes it.
    now = timezone.now()
    sell(CustomerFactory(business=business), "5.00", completed_at=now)

    with CaptureQueriesContext(connection) as queries:
        second = sell(customer, "25.00", completed_at=now)

    assert slot_start(second.completed_at) != slot_start(first.completed_at)
    assert buyers_of(business) == {slot_start(now): 2}
    # The old slot's buyer leaves in the UPDATE that adds the sale's amount due to its slot.
    writes = slot_writes(queries)
    assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE"), writes
    assert_checked(business)


def test_a_second_sale_in_the_same_slot_moves_no_buyer(business, sell):
    customer = CustomerFactory(business=business)
    first = sell(customer, "10.00", on_account="0")

    with CaptureQueriesContext(connection) as queries:
        sell(customer, "12.00", on_account="0", completed_at=first.completed_at)

    assert buyers_of(business) == {slot_start(first.completed_at): 1}
    assert slot_writes(queries) == []
    assert_checked(business)


def test_a_sale_in_a_later_slot_moves_the_buyer_there(business, sell, earlier):
    customer = CustomerFactory(business=business)
    other = CustomerFactory(business=business)
    sell(other, "5.00", on_account="0", completed_at=earlier)
    sell(customer, "10.00", on_account="0", completed_at=earlier)
    assert buyers_of(business) == {slot_start(earlier): 2}

    later = sell(customer, "12.00", on_account="0")

    assert buyers_of(business) == {slot_start(earlier): 1, slot_start(later.completed_at): 1}
    assert_checked(business)


def test_a_backdated_sale_leaves_the_buyer_in_the_slot_of_the_latest(business, sell, earlier):
    customer = CustomerFactory(business=business)
    latest = sell(customer, "10.00", on_account="0")

    sell(customer, "8.00", completed_at=earlier)

    assert buyers_of(business) == {slot_start(latest.completed_at): 1}
    assert_checked(business)


def test_cancelling_the_latest_sale_moves_the_buyer_back_then_out(business, sell, earlier, manager):
    actor = Actor.for_user(manager)
    customer = CustomerFactory(business=business)
    first = sell(customer, "10.00", on_account="0", completed_at=earlier)
    latest = sell(customer, "15.00")

    sale_cancel(sale=latest, reason="Rung up twice", actor=actor)
    assert buyers_of(business) == {slot_start(first.completed_at): 1}
    assert_checked(business)

    sale_cancel(sale=first, reason="Wrong customer", actor=actor)
    assert buyers_of(business) == {}
    assert recent_buyers(business=business, days=1) == 0
    assert_checked(business)


def test_check_ledgers_names_a_slot_counting_the_wrong_buyers(business, sell):
    sale = sell(CustomerFactory(business=business), "40.00", on_account="0")
    starts_at = slot_start(sale.completed_at)
    ReceivablesDueSlot.objects.filter(business=business, starts_at=starts_at).update(buyers=3)

    found = receivables_summary_check(businesses=Business.objects.filter(pk=business.pk))

    assert any(
        f"slot {starts_at:%Y-%m-%d %H:%M} UTC counts 3 buyers but 1 customers last bought in it"
        in line
        for line in found
    ), found


def test_a_missing_slot_row_is_made_for_the_buyer_leaving_it(business, sell, earlier):
    customer = CustomerFactory(business=business)
    sell(customer, "10.00", on_account="0", completed_at=earlier)
    ReceivablesDueSlot.objects.filter(business=business).delete()

    later = sell(customer, "12.00", on_account="0")

    # Both rows written; the old one goes below zero, which the check names.
    assert buyers_of(business) == {slot_start(earlier): -1, slot_start(later.completed_at): 1}
    assert any(
        "counts -1 buyers" in line
        for line in receivables_summary_check(businesses=Business.objects.filter(pk=business.pk))
    )


def test_recent_buyers_count_each_customer_once_within_the_window(business, sell, earlier):
    customer = CustomerFactory(business=business)
    sell(customer, "10.00", on_account="0", completed_at=timezone.now() - timedelta(days=40))
    sell(customer, "11.00", on_account="0", completed_at=earlier)
    sell(
        CustomerFactory(business=business), "9.00", completed_at=timezone.now() - timedelta(days=40)
    )

    assert recent_buyers(business=business, days=1) == 1
    assert recent_buyers(business=business, days=90) == 2


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_tills_selling_to_returning_customers_at_once_leave_the_buyers_exact():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business)
    manager = StaffMemberFactory(business=business, role=Role.MANAGER).user
    box = MedicineFactory(business=business, prix_br=Decimal("10.00"))
    StockFactory(medicine=box, storefront=storefront, quantity=1000)
    before = timezone.now() - timedelta(hours=3)
    buyers = [CustomerFactory(business=business) for _ in range(4)]
    for index, customer in enumerate(buyers):
        moment = before - timedelta(minutes=20 * (index % 2))
        give_purchases(customer, total="10.00", count=1, last=moment)

    def sell(index):
        return lambda: complete_sale(
            storefront=storefront,
            actor_user=manager,
            lines=[(box, 1)],
            customer=buyers[index % 4],
            on_account=index % 2 == 0,
            stock=None,
        ).pk

    outcomes = race([sell(i) for i in range(8)])

    assert all(outcome[0] == "ok" for outcome in outcomes), outcomes
    assert sum(buyers_of(business).values()) == 4
    assert recent_buyers(business=business, days=1) == 4
    assert_checked(business)


def test_a_slot_sum_past_its_column_is_refused_and_no_row_moves(business, earlier):
    now = timezone.now()
    column = ReceivablesDueSlot._meta.get_field("amount_due")
    largest = Decimal(10) ** (column.max_digits - column.decimal_places) - Decimal("0.01")
    ReceivablesDueSlot.objects.create(
        business=business, starts_at=slot_start(now), amount_due=largest - 1
    )
    ReceivablesDueSlot.objects.create(business=business, starts_at=slot_start(earlier), buyers=1)

    with pytest.raises(DomainError), transaction.atomic():
        receivables_summary_move(
            business_id=business.pk,
            balance_before=Decimal(0),
            balance_after=Decimal(5),
            due=[(now, Decimal(5))],
            buyer_moved=(earlier, now),
        )

    assert buyers_of(business) == {slot_start(earlier): 1}
    assert ReceivablesDueSlot.objects.get(starts_at=slot_start(now)).amount_due == largest - 1
