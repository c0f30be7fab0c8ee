"""The customer dashboard's kept figures: the customer counts (`customers.counts`), the
sums of purchases and sales on the receivables summary and the buyers per due slot move with
every change, in its transaction; they always equal what an aggregate over the customers
would say, the dashboard answers them in a fixed number of queries, and `check_ledgers`
names any difference."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.counts import customer_counts_read
from customers.mock_cleanup import mock_customers_cleanup
from customers.models import Customer, CustomerCounts
from customers.services import (
    DeleteOutcome,
    customer_create,
    customer_delete,
    customer_set_active,
    customer_update,
)
from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Business, Role
from pos_project.money import ZERO, quantize
from receivables.ledger_checks import receivables_summary_check
from receivables.models import ReceivablesSummary
from receivables.reports import recent_buyers
from receivables.summary import slot_start
from sales.services import sale_cancel, sale_return
from tests.concurrency import race
from tests.conftest import requires_postgres
from tests.customers.history import give_purchases
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StaffMemberFactory, StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.factories.sales import complete_sale

STATS = reverse("customer-stats")
# Windows of the dashboard's recent buyers compared with the aggregate.
WINDOWS = (1, 30, 90)
NO_BUYERS = {f"bought_in_{days}": 0 for days in WINDOWS}


def kept(business, *, now=None) -> dict:
    counts = customer_counts_read(business=business)
    summary = ReceivablesSummary.objects.filter(business=business).first()
    return {
        "active": counts.active,
        "deactivated": counts.deactivated,
        "purchases": summary.purchases if summary else ZERO,
        "sales": summary.sales_count if summary else 0,
        **{
            f"bought_in_{days}": recent_buyers(business=business, days=days, now=now)
            for days in WINDOWS
        },
    }


def aggregated(business, *, now=None) -> dict:
    """What the dashboard used to compute over every customer of the business."""
    now = now or timezone.now()
    figures = Customer.objects.filter(business=business).aggregate(
        active=Count("id", filter=Q(is_active=True)),
        deactivated=Count("id", filter=Q(is_active=False)),
        purchases=Sum("total_purchases"),
        sales=Sum("sales_count"),
        **{
            f"bought_in_{days}": Count(
                "id", filter=Q(last_purchase_date__gte=now - timedelta(days=days))
            )
            for days in WINDOWS
        },
    )
    return {
        **figures,
        "purchases": quantize(figures["purchases"] or ZERO),
        "sales": figures["sales"] or 0,
    }


def assert_true(business) -> dict:
    figures = kept(business)
    assert figures == aggregated(business)
    assert receivables_summary_check() == []
    return figures


# --- each change moves them -------------------------------------------------------------------


def test_creating_customers_counts_them(business, manager_actor):
    customer_create(business=business, actor=manager_actor, name="Amina")
    customer_create(business=business, actor=manager_actor, name="Youssef", is_active=False)

    assert assert_true(business) == {
        "active": 1,
        "deactivated": 1,
        "purchases": ZERO,
        "sales": 0,
        **NO_BUYERS,
    }


def test_a_refused_creation_counts_nothing(business, manager_actor):
    customer_create(business=business, actor=manager_actor, name="Amina", phone="0612345678")

    with pytest.raises(DomainError):
        customer_create(business=business, actor=manager_actor, name="Twin", phone="0612345678")

    assert assert_true(business)["active"] == 1


def test_deactivating_and_reactivating_move_the_counts(business, manager_actor):
    customer = customer_create(business=business, actor=manager_actor, name="Amina")

    customer_set_active(customer=customer, actor=manager_actor, is_active=False)
    assert assert_true(business)["deactivated"] == 1
    # Deactivating again changes nothing.
    customer_set_active(customer=customer, actor=manager_actor, is_active=False)
    assert assert_true(business) == {
        "active": 0,
        "deactivated": 1,
        "purchases": ZERO,
        "sales": 0,
        **NO_BUYERS,
    }

    customer_update(customer=customer, actor=manager_actor, data={"is_active": True})
    assert assert_true(business)["active"] == 1


def test_deleting_a_customer_uncounts_them(business, manager_actor):
    kept_one = customer_create(business=business, actor=manager_actor, name="Amina")
    gone = customer_create(business=business, actor=manager_actor, name="Youssef")
    inactive = customer_create(business=business, actor=manager_actor, name="Omar")
    customer_set_active(customer=inactive, actor=manager_actor, is_active=False)

    assert customer_delete(customer=gone, actor=manager_actor) == DeleteOutcome.DELETED
    assert customer_delete(customer=inactive, actor=manager_actor) == DeleteOutcome.DELETED

    assert Customer.objects.filter(business=business).get() == kept_one
    assert assert_true(business)["active"] == 1


def test_deleting_a_customer_with_history_deactivates_and_moves_the_counts(
    business, storefront, manager, manager_actor
):
    customer = customer_create(business=business, actor=manager_actor, name="Amina")
    complete_sale(storefront=storefront, actor_user=manager, customer=customer)

    assert customer_delete(customer=customer, actor=manager_actor) == DeleteOutcome.DEACTIVATED

    assert assert_true(business)["deactivated"] == 1


def test_sales_cancellations_and_returns_move_the_purchase_sums(business, storefront, manager):
    customer = CustomerFactory(business=business)
    box = MedicineFactory(business=business, prix_br=Decimal("30.00"))

    complete_sale(storefront=storefront, actor_user=manager, lines=[(box, 1)])
    assert assert_true(business)["sales"] == 0  # a walk-in sale is nobody's purchase

    cash = complete_sale(
        storefront=storefront, actor_user=manager, lines=[(box, 2)], customer=customer
    )
    assert assert_true(business)["purchases"] == Decimal("60.00")

    on_account = complete_sale(
        storefront=storefront,
        actor_user=manager,
        lines=[(box, 3)],
        customer=customer,
        on_account=True,
    )
    assert assert_true(business) == {
        "active": 1,
        "deactivated": 0,
        "purchases": Decimal("150.00"),
        "sales": 2,
        **{f"bought_in_{days}": 1 for days in WINDOWS},
    }

    sale_return(
        sale=on_account,
        lines=[{"item": on_account.items.get().pk, "quantity": 1}],
        reason="Wrong box",
        actor=Actor.for_user(manager),
    )
    assert assert_true(business)["purchases"] == Decimal("120.00")

    sale_cancel(sale=cash, reason="Rung up twice", actor=Actor.for_user(manager))
    assert assert_true(business) == {
        "active": 1,
        "deactivated": 0,
        "purchases": Decimal("60.00"),
        "sales": 1,
        **{f"bought_in_{days}": 1 for days in WINDOWS},
    }


def test_the_mock_cleanup_moves_the_figures(business, storefront, manager, tmp_path):
    fake = CustomerFactory(business=business, name="Test Customer", phone=None)
    buyer = CustomerFactory(business=business, name="Sample Buyer", phone=None)
    complete_sale(storefront=storefront, actor_user=manager, customer=buyer)
    CustomerFactory(business=business, name="Amina Alaoui")

    result = mock_customers_cleanup(
        customer_ids=[fake.pk, buyer.pk],
        include_with_history=True,
        actor=Actor.for_user(manager),
        backup_path=tmp_path / "backup.json",
    )

    assert sorted(outcome.result for outcome in result.outcomes) == ["deactivated", "deleted"]
    # The buyer's paid sale moved to walk-in: no customer's purchase any more.
    assert assert_true(business) == {
        "active": 1,
        "deactivated": 1,
        "purchases": ZERO,
        "sales": 0,
        **NO_BUYERS,
    }


# --- the dashboard reads them -----------------------------------------------------------------


def test_the_dashboard_answers_what_the_aggregate_says(
    cashier_client, business, storefront, manager
):
    for total, count in (("300.00", 2), ("100.00", 1), ("0.00", 0)):
        give_purchases(CustomerFactory(business=business), total=total, count=count, last=None)
    CustomerFactory(business=business, is_active=False)
    complete_sale(
        storefront=storefront, actor_user=manager, customer=CustomerFactory(business=business)
    )
    figures = aggregated(business)

    body = cashier_client.get(STATS).json()

    assert body["total_customers"] == figures["active"] == 4
    assert body["inactive_customers"] == figures["deactivated"] == 1
    assert body["average_purchase_value"] == str(quantize(figures["purchases"] / figures["sales"]))
    assert body["active_customers"] == figures["bought_in_90"] == 1


@pytest.mark.parametrize("seconds_into_slot", [0, 1, 450, 899])
def test_recent_buyers_equal_the_aggregate_wherever_the_window_starts_in_a_slot(
    business, seconds_into_slot
):
    # Windows starting at a slot's first instant, just after it, mid-slot and at its last
    # second: the part of the window's first slot is counted from the customers.
    now = slot_start(timezone.now()) + timedelta(seconds=seconds_into_slot)
    for days in WINDOWS:
        since = now - timedelta(days=days)
        for offset in (-901, -1, 0, 1, 60, 899, 900, 901, 3600):
            moment = since + timedelta(seconds=offset)
            give_purchases(CustomerFactory(business=business), total="5.00", count=1, last=moment)
    give_purchases(CustomerFactory(business=business), total="5.00", count=1, last=now)
    CustomerFactory(business=business)

    assert kept(business, now=now) == aggregated(business, now=now)
    assert receivables_summary_check() == []


def test_the_dashboard_costs_four_queries_whatever_the_customers_and_buyers(
    cashier_client, business, django_assert_num_queries
):
    # Token authentication, the counts row, the recent buyers, the receivables summary.
    now = timezone.now()
    for size in (1, 30):
        while business.customers.count() < size:
            customer = CustomerFactory(business=business)
            last = now - timedelta(hours=7 * business.customers.count())
            give_purchases(customer, total="5.00", count=1, last=last)
        with django_assert_num_queries(4):
            assert cashier_client.get(STATS).json()["total_customers"] == size


# --- proven by check_ledgers ------------------------------------------------------------------


def test_check_ledgers_names_tampered_figures_and_the_rebuild_repairs_them(business):
    give_purchases(CustomerFactory(business=business), total="80.00", count=2, last=None)
    CustomerFactory(business=business, is_active=False)
    CustomerCounts.objects.filter(business=business).update(active=5, deactivated=0)
    ReceivablesSummary.objects.filter(business=business).update(
        purchases=Decimal("81.00"), sales_count=3
    )

    with pytest.raises(CommandError) as caught:
        call_command("check_ledgers", stdout=StringIO())

    message = str(caught.value)
    assert "customer counts hold 5 active but 1 customers are active" in message
    assert "customer counts hold 0 deactivated but 1 customers are deactivated" in message
    assert "purchases 81.00 but the customers' total purchases sum to 80.00" in message
    assert "sales_count 3 but the customers' sales counts sum to 2" in message
    call_command("rebuild_receivables_summaries", stdout=StringIO())
    assert_true(business)


def test_check_ledgers_names_a_missing_counts_row(business):
    CustomerFactory(business=business)
    CustomerCounts.objects.filter(business=business).delete()

    assert any("1 customers are active" in line for line in receivables_summary_check())


# --- any history ------------------------------------------------------------------------------

operation = st.one_of(
    st.tuples(st.just("create"), st.booleans()),
    st.tuples(st.just("set_active"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("sell"), st.integers(0, 9), st.booleans()),
    st.tuples(st.just("cancel"), st.integers(0, 9)),
)


@pytest.mark.django_db
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_any_history_keeps_the_figures_equal_to_the_aggregate(operations):
    # A business of its own for each history, so no example reads another's customers.
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business)
    manager = StaffMemberFactory(business=business, role=Role.MANAGER).user
    actor = Actor.for_user(manager)
    box = MedicineFactory(business=business, prix_br=Decimal("12.35"))
    customers, sales = [], []
    for kind, *args in operations:
        try:
            if kind == "create":
                customers.append(
                    customer_create(business=business, actor=actor, name="C", is_active=args[0])
                )
            elif kind == "set_active" and customers:
                customer = customers[args[0] % len(customers)]
                customer_set_active(customer=customer, actor=actor, is_active=args[1])
            elif kind == "delete" and customers:
                customer = customers[args[0] % len(customers)]
                if customer_delete(customer=customer, actor=actor) == DeleteOutcome.DELETED:
                    customers.remove(customer)
            elif kind == "sell" and customers:
                customer = customers[args[0] % len(customers)]
                sales.append(
                    complete_sale(
                        storefront=storefront,
                        actor_user=manager,
                        lines=[(box, 1 + args[0] % 3)],
                        customer=customer,
                        on_account=args[1],
                    )
                )
            elif kind == "cancel" and sales:
                sale_cancel(sale=sales[args[0] % len(sales)], reason="x", actor=actor)
        except DomainError:
            # A refused step (a deactivated buyer, a second cancellation) changes nothing.
            pass
        assert kept(business) == aggregated(business)
    assert receivables_summary_check(businesses=Business.objects.filter(pk=business.pk)) == []


# --- two tills at once ------------------------------------------------------------------------


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_tills_creating_customers_and_selling_at_once_leave_the_figures_exact():
    business = BusinessFactory()
    storefront = StorefrontFactory(business=business)
    manager = StaffMemberFactory(business=business, role=Role.MANAGER).user
    actor = Actor.for_user(manager)
    box = MedicineFactory(business=business, prix_br=Decimal("10.00"))
    buyers = [CustomerFactory(business=business) for _ in range(4)]
    StockFactory(medicine=box, storefront=storefront, quantity=1000)

    def create(index):
        return lambda: customer_create(business=business, actor=actor, name=f"New {index}").pk

    def sell(index):
        return lambda: complete_sale(
            storefront=storefront,
            actor_user=manager,
            lines=[(box, 1 + index % 2)],
            customer=buyers[index % 4],
            on_account=index % 3 == 0,
            stock=None,
        ).pk

    outcomes = race([create(i) for i in range(6)] + [sell(i) for i in range(8)])

    assert all(outcome[0] == "ok" for outcome in outcomes), outcomes
    figures = assert_true(business)
    assert figures["active"] == 10
    assert figures["sales"] == 8
    assert figures["purchases"] == Decimal("120.00")  # 4 sales of one box, 4 of two
    assert figures["bought_in_1"] == 4
