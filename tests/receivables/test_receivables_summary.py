"""The receivables summary and due slots: kept with every change, proven, and read by the report."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_project.errors import DomainError
from pos_project.models import Business
from receivables.ledger_checks import receivables_summary_check
from receivables.models import ReceivablesDueSlot, ReceivablesSummary
from receivables.reports import debtors_report, debtors_totals, report_clock
from receivables.services import customer_adjust_credit, customer_record_payment
from receivables.summary import (
    NOTHING,
    receivables_summary_from_sources,
    receivables_summary_kept,
    receivables_summary_rebuild,
    slot_start,
)
from sales.models import Sale, SaleStatus
from sales.services import sale_cancel
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import BusinessFactory, StorefrontFactory
from tests.receivables.test_receivables_service import sell_on_account

URL = "/customers/api/debtors/"


def D(value) -> Decimal:
    return Decimal(value)


def summary_of(business) -> tuple:
    row = ReceivablesSummary.objects.filter(business=business).first()
    return (row.debtors, row.amount_owed, row.amount_due) if row else (0, D("0"), D("0"))


def slots_of(business) -> dict:
    return {
        row.starts_at: row.amount_due
        for row in ReceivablesDueSlot.objects.filter(business=business)
        if row.amount_due
    }


def assert_summary_true(business) -> None:
    """Kept figures equal a recomputation from customers and sales, and the check agrees."""
    ids = [business.pk]
    assert receivables_summary_kept(business_ids=ids).get(business.pk, NOTHING) == (
        receivables_summary_from_sources(business_ids=ids).get(business.pk, NOTHING)
    )
    assert receivables_summary_check(businesses=Business.objects.filter(pk=business.pk)) == []


# --- kept with every change ----------------------------------------------------------------


def test_a_business_without_a_row_reads_as_zeros_and_the_first_charge_creates_it(business, sell):
    clock = report_clock(business=business)
    assert not ReceivablesSummary.objects.filter(business=business).exists()
    totals = debtors_totals(debtors_report(business=business), clock=clock, unfiltered=True)
    assert set(totals.values()) == {0}, totals

    sale = sell(CustomerFactory(business=business), "40.00")

    assert summary_of(business) == (1, D("40.00"), D("40.00"))
    assert slots_of(business) == {slot_start(sale.completed_at): D("40.00")}
    assert_summary_true(business)


def test_a_till_sale_without_an_on_account_part_moves_only_its_buyer(business, sell):
    sale = sell(CustomerFactory(business=business), "40.00", on_account="0")

    assert summary_of(business) == (0, D("0"), D("0"))
    assert slots_of(business) == {}
    assert list(ReceivablesDueSlot.objects.values_list("starts_at", "buyers")) == [
        (slot_start(sale.completed_at), 1)
    ]
    assert_summary_true(business)


def test_payments_full_partial_and_over_move_the_summary_and_the_slots(
    business, sell, cashier_actor, manager_actor
):
    customer = CustomerFactory(business=business)
    now = timezone.now()
    old = sell(customer, "30.00", completed_at=now - timedelta(days=50))
    new = sell(customer, "20.00", completed_at=now - timedelta(days=5))
    assert summary_of(business) == (1, D("50.00"), D("50.00"))

    # Partial: the oldest sale first.
    customer_record_payment(customer=customer, amount="10.00", method="CASH", actor=cashier_actor)
    assert summary_of(business) == (1, D("40.00"), D("40.00"))
    assert slots_of(business) == {
        slot_start(old.completed_at): D("20.00"),
        slot_start(new.completed_at): D("20.00"),
    }
    assert_summary_true(business)

    # Full: nothing owed, no debtor, both slots at zero.
    customer_record_payment(customer=customer, amount="40.00", method="CARD", actor=cashier_actor)
    assert summary_of(business) == (0, D("0.00"), D("0.00"))
    assert slots_of(business) == {}
    assert_summary_true(business)

    # Over: credit held makes a debtor again, with nothing due.
    customer_record_payment(
        customer=customer,
        amount="15.00",
        method="CASH",
        actor=manager_actor,
        allow_overpayment=True,
    )
    assert summary_of(business) == (1, D("-15.00"), D("0.00"))
    assert_summary_true(business)

    # Credit held settles the next charge at once.
    later = sell(customer, "25.00")
    assert summary_of(business) == (1, D("10.00"), D("10.00"))
    assert slots_of(business)[slot_start(later.completed_at)] == D("10.00")
    assert_summary_true(business)


def test_credit_adjustments_move_the_summary(business, sell, manager_actor):
    customer = CustomerFactory(business=business)
    sale = sell(customer, "60.00")

    customer_adjust_credit(
        customer=customer, amount="80.00", type="add", reason="Goodwill", actor=manager_actor
    )
    assert summary_of(business) == (1, D("-20.00"), D("0.00"))
    assert slots_of(business) == {}

    customer_adjust_credit(
        customer=customer, amount="20.00", type="deduct", reason="Error", actor=manager_actor
    )
    assert summary_of(business) == (0, D("0.00"), D("0.00"))
    assert ReceivablesDueSlot.objects.get().starts_at == slot_start(sale.completed_at)
    assert_summary_true(business)


def test_a_refused_operation_moves_nothing(business, sell, cashier_actor):
    customer = CustomerFactory(business=business)
    sell(customer, "10.00")

    with pytest.raises(DomainError):
        customer_record_payment(
            customer=customer, amount="50.00", method="CASH", actor=cashier_actor
        )

    assert summary_of(business) == (1, D("10.00"), D("10.00"))


def test_cancelling_a_sale_releases_its_payments_to_the_next_sale(
    business, sell, cashier_actor, manager_actor
):
    customer = CustomerFactory(business=business)
    now = timezone.now()
    first = sell(customer, "40.00", completed_at=now - timedelta(days=100))
    second = sell(customer, "30.00", completed_at=now - timedelta(days=10))
    customer_record_payment(customer=customer, amount="50.00", method="CASH", actor=cashier_actor)
    assert slots_of(business) == {slot_start(second.completed_at): D("20.00")}

    sale_cancel(sale=first, reason="Returned", actor=manager_actor)

    # 40 reversed; the 40 paid on it is released and settles the 20 left on the second sale.
    assert summary_of(business) == (1, D("-20.00"), D("0.00"))
    assert slots_of(business) == {}
    assert_summary_true(business)

    sale_cancel(sale=second, reason="Returned", actor=manager_actor)
    assert summary_of(business) == (1, D("-50.00"), D("0.00"))
    assert_summary_true(business)


def test_each_business_keeps_its_own_summary(business, sell, other_business, other_manager):
    sell(CustomerFactory(business=business), "10.00")
    other_storefront = StorefrontFactory(business=other_business)
    sell_on_account(
        storefront=other_storefront,
        user=other_manager,
        customer=CustomerFactory(business=other_business),
        amount="7.00",
    )

    assert summary_of(business) == (1, D("10.00"), D("10.00"))
    assert summary_of(other_business) == (1, D("7.00"), D("7.00"))


money = st.integers(min_value=1, max_value=20_000).map(lambda n: Decimal(n) / 100)
step = st.one_of(
    st.tuples(st.just("sell"), st.integers(0, 2), money, st.integers(0, 400 * 24 * 60)),
    st.tuples(st.just("pay"), st.integers(0, 2), money, st.booleans()),
    st.tuples(st.just("add"), st.integers(0, 2), money),
    st.tuples(st.just("deduct"), st.integers(0, 2), money),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
)


@pytest.mark.django_db
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=15))
def test_any_sequence_keeps_the_summary_equal_to_its_sources(
    steps, storefront, cashier, cashier_actor, manager_actor
):
    """Three customers, sales backdated up to 400 days to the minute, in any order."""
    business = storefront.business
    customers = [CustomerFactory(business=business) for _ in range(3)]
    sales = []
    now = timezone.now()
    for kind, *args in steps:
        try:
            if kind == "sell":
                who, amount, minutes_ago = args
                sales.append(
                    sell_on_account(
                        storefront=storefront,
                        user=cashier,
                        customer=customers[who],
                        amount=amount,
                        completed_at=now - timedelta(minutes=minutes_ago),
                    )
                )
            elif kind == "pay":
                who, amount, overpay = args
                customer_record_payment(
                    customer=customers[who],
                    amount=amount,
                    method="CASH",
                    # Holding credit is a manager's decision.
                    actor=manager_actor if overpay else cashier_actor,
                    allow_overpayment=overpay,
                )
            elif kind in ("add", "deduct"):
                who, amount = args
                customer_adjust_credit(
                    customer=customers[who],
                    amount=amount,
                    type=kind,
                    reason="property",
                    actor=manager_actor,
                )
            elif sales:
                sale = Sale.objects.get(pk=sales[args[0] % len(sales)].pk)
                if sale.status == SaleStatus.COMPLETED:
                    sale_cancel(sale=sale, reason="property", actor=manager_actor)
        except DomainError as refused:
            assert refused.code in {"overpayment_not_allowed", "deduction_exceeds_credit"}

    assert_summary_true(business)
    clock = report_clock(business=business)
    report = debtors_report(business=business, clock=clock)
    assert debtors_totals(report, clock=clock, unfiltered=True) == debtors_totals(
        report, clock=clock
    )


# --- the ageing buckets from the slots -------------------------------------------------------

ZONES = ["Africa/Casablanca", "Asia/Kathmandu", "America/St_Johns", "Australia/Eucla"]


@pytest.mark.parametrize("zone", ZONES)
def test_buckets_from_slots_are_exact_at_every_local_midnight(business, sell, zone):
    """Sales one second either side of each bucket's local midnight, and at it."""
    business.time_zone = zone
    business.save()
    tz = ZoneInfo(zone)
    now = datetime.combine(datetime(2026, 3, 30).date(), time(10), tzinfo=tz)
    clock = report_clock(business=business, now=now)
    customer = CustomerFactory(business=business)
    for days in (0, 30, 31, 60, 61, 90, 91):
        midnight = clock.day_start(days)
        assert slot_start(midnight) == midnight
        for offset, amount in ((-1, "1.00"), (0, "10.00"), (1, "100.00")):
            sell(customer, amount, completed_at=midnight + timedelta(seconds=offset))
    report = debtors_report(business=business, clock=clock)

    kept = debtors_totals(report, clock=clock, unfiltered=True)

    assert kept == debtors_totals(report, clock=clock)
    assert kept["owed_over_90"] > 0 and kept["owed_61_90"] > 0
    assert_summary_true(business)


def test_kathmandu_slots_start_at_a_quarter_to_the_hour_in_utc(business, sell):
    business.time_zone = "Asia/Kathmandu"
    business.save()
    local_midnight = datetime(2026, 5, 1, tzinfo=ZoneInfo("Asia/Kathmandu"))
    sale = sell(CustomerFactory(business=business), "5.00", completed_at=local_midnight)

    [slot] = ReceivablesDueSlot.objects.filter(business=business)

    assert slot.starts_at == sale.completed_at == datetime(2026, 4, 30, 18, 15, tzinfo=UTC)


# --- the report reads it ---------------------------------------------------------------------


@pytest.fixture
def book(business, sell, cashier_actor, manager_actor):
    now = timezone.now()
    for index, (amount, days) in enumerate(
        [("300.00", 100), ("120.00", 40), ("80.00", 3), ("50.00", 70), ("10.00", 0)]
    ):
        customer = CustomerFactory(business=business, name=f"Debtor {index}")
        sell(customer, amount, completed_at=now - timedelta(days=days))
    payer = CustomerFactory(business=business, name="Payer")
    sell(payer, "40.00", completed_at=now - timedelta(days=65))
    customer_record_payment(customer=payer, amount="15.00", method="CASH", actor=cashier_actor)
    holder = CustomerFactory(business=business, name="Holder")
    customer_record_payment(
        customer=holder, amount="9.00", method="CASH", actor=manager_actor, allow_overpayment=True
    )


def test_the_unfiltered_page_reads_the_summary_and_agrees_with_the_filtered_path(
    manager_client, business, book
):
    clock = report_clock(business=business)
    from_sources = debtors_totals(debtors_report(business=business, clock=clock), clock=clock)

    with CaptureQueriesContext(connection) as queries:
        body = manager_client.get(URL, {"page_size": 2}).json()

    assert body["count"] == from_sources["customers"] == 7
    assert body["totals"] == {
        name: value if name == "customers" else f"{value:.2f}"
        for name, value in from_sources.items()
    }
    assert len(body["results"]) == 2
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "COUNT(" not in sql, "the count comes from the summary row"
    # Filtered, the report still counts and sums its own rows.
    filtered = manager_client.get(URL, {"balance": "owing"}).json()
    assert filtered["count"] == filtered["totals"]["customers"] == 6


def test_the_csv_total_row_of_the_unfiltered_report_is_the_sum_of_its_rows(manager_client, book):
    import csv
    import io

    response = manager_client.get(URL, {"format": "csv"})
    text = response.content.decode().removeprefix("\ufeff")
    *rows, owed, credit, net = csv.DictReader(io.StringIO(text))

    balance = "Amount owed (negative: credit held)"
    assert D(net[balance]) == sum(D(row[balance]) for row in rows)
    assert D(owed[balance]) == sum(D(row[balance]) for row in rows if D(row[balance]) > 0)
    assert D(credit[balance]) == sum(D(row[balance]) for row in rows if D(row[balance]) < 0)
    for column in ("Due 0-30 days", "Due 31-60 days", "Due 61-90 days", "Due Over 90 days"):
        assert D(owed[column]) == sum(D(row[column]) for row in rows)


def test_the_unfiltered_first_page_costs_the_same_queries_as_debtors_grow(
    manager_client, business, sell, cashier_actor, django_assert_max_num_queries
):
    now = timezone.now()

    def grow(n):
        while ReceivablesSummary.objects.get_or_create(business=business)[0].debtors < n:
            customer = CustomerFactory(business=business)
            sell(customer, "30.00", completed_at=now - timedelta(days=5))
            sell(customer, "20.00", completed_at=now - timedelta(days=95))

    grow(3)
    with CaptureQueriesContext(connection) as baseline:
        assert manager_client.get(URL).status_code == 200
    # The token with its user and staff member, the summary, the slots, the page.
    assert len(baseline.captured_queries) == 4
    grow(60)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        body = manager_client.get(URL).json()
    assert body["count"] == 60


def test_the_admin_debtors_page_shows_the_summary_figures(client, manager, business, book):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)

    response = client.get(reverse("admin:customers_customer_debtors"))

    assert response.status_code == 200
    assert response.context["paginator"].count == 7
    assert response.context["totals_text"]["amount_owed"].startswith("576.00")


# --- proven and rebuilt ------------------------------------------------------------------------


def run_check(*args) -> str:
    out = StringIO()
    call_command("check_ledgers", *args, stdout=out)
    return out.getvalue()


def test_check_ledgers_proves_the_summaries(business, book):
    output = run_check("--business", str(business.pk))

    assert "receivables summaries agree" in output


def test_check_ledgers_names_a_tampered_summary_and_the_rebuild_repairs_it(business, book):
    ReceivablesSummary.objects.filter(business=business).update(
        debtors=F("debtors") + 1, amount_owed=F("amount_owed") - 1
    )

    with pytest.raises(CommandError) as caught:
        run_check()

    message = str(caught.value)
    assert "counts 8 debtors but 7 customers have a non-zero balance" in message
    assert "amount_owed 575.00 but the balances sum to 576.00" in message
    assert "manage.py rebuild_receivables_summaries" in message
    out = StringIO()
    call_command("rebuild_receivables_summaries", stdout=out)
    assert (
        f"{business.name} ({business.pk}): summary, due slots and customer counts rebuilt."
        in out.getvalue()
    )
    assert "agree" in run_check()


def test_the_rebuild_command_can_take_one_business(business, other_business, book):
    ReceivablesSummary.objects.filter(business=business).update(debtors=F("debtors") + 1)
    out = StringIO()

    call_command("rebuild_receivables_summaries", "--business", str(business.pk), stdout=out)

    assert str(business.pk) in out.getvalue() and str(other_business.pk) not in out.getvalue()
    assert "agree" in run_check("--business", str(business.pk))


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_the_rebuild_command_refuses_an_unknown_business(db, value):
    with pytest.raises(CommandError, match="No business with id"):
        call_command("rebuild_receivables_summaries", "--business", value, stdout=StringIO())


def test_check_ledgers_names_a_tampered_slot(business, book):
    slot = ReceivablesDueSlot.objects.filter(business=business).order_by("starts_at").first()
    ReceivablesDueSlot.objects.filter(pk=slot.pk).update(amount_due=F("amount_due") + 2)

    with pytest.raises(CommandError) as caught:
        run_check()

    assert f"slot {slot.starts_at:%Y-%m-%d %H:%M} UTC holds" in str(caught.value)


def test_check_ledgers_names_a_missing_summary(business, book):
    ReceivablesSummary.objects.filter(business=business).delete()

    with pytest.raises(CommandError) as caught:
        run_check()

    assert "counts 0 debtors but 7 customers" in str(caught.value)


def test_the_rebuild_creates_the_rows_and_clears_stale_slots(business, book):
    ReceivablesSummary.objects.filter(business=business).delete()
    ReceivablesDueSlot.objects.create(
        business=business, starts_at=datetime(2020, 1, 1, tzinfo=UTC), amount_due=D("0.00")
    )

    receivables_summary_rebuild(business=business)

    assert summary_of(business) == (7, D("576.00"), D("585.00"))
    assert all(slot.amount_due for slot in ReceivablesDueSlot.objects.all())
    assert_summary_true(business)
    empty = BusinessFactory()
    receivables_summary_rebuild(business=empty)
    assert summary_of(empty) == (0, D("0.00"), D("0.00"))


@pytest.mark.django_db(transaction=True)
def test_the_demo_and_the_bulk_loader_leave_true_summaries():
    call_command("seed_demo", "--customers", "30", "--sales", "90", stdout=StringIO())

    run_check()  # raises CommandError on any difference
    business = Business.objects.get(name="Pharmacie Atlas")
    assert summary_of(business)[0] > 0
