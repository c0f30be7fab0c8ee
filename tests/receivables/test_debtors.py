"""The Debtors report: who owes what, ageing in the business's time zone, totals, CSV."""

import csv
import io
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from customers.models import Customer
from receivables.reports import debtors_report, debtors_totals, report_clock
from receivables.services import customer_record_payment
from tests.contracts import assert_error, assert_flat_queries
from tests.factories.customers import CustomerFactory

URL = "/customers/api/debtors/"


def D(value) -> Decimal:
    return Decimal(value)


def local(zone: str, day, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=ZoneInfo(zone))


# --- ageing --------------------------------------------------------------------------------

BOUNDARIES = [
    # days ago (local calendar), local time, bucket
    (0, (0, 0, 0), "owed_0_30"),
    (30, (0, 0, 0), "owed_0_30"),
    (30, (23, 59, 59), "owed_0_30"),
    (31, (23, 59, 59), "owed_31_60"),
    (60, (0, 0, 0), "owed_31_60"),
    (61, (23, 59, 59), "owed_61_90"),
    (90, (0, 0, 0), "owed_61_90"),
    (91, (23, 59, 59), "owed_over_90"),
    (400, (12, 0, 0), "owed_over_90"),
]


@pytest.mark.parametrize("zone", ["Africa/Casablanca", "America/New_York", "Asia/Tokyo"])
@pytest.mark.parametrize(("days_ago", "at", "bucket"), BOUNDARIES)
def test_ageing_buckets_count_calendar_days_of_the_business(
    business, sell, zone, days_ago, at, bucket
):
    business.time_zone = zone
    business.save()
    now = local(zone, datetime(2026, 7, 15).date(), 10)
    clock = report_clock(business=business, now=now)
    customer = CustomerFactory(business=business)
    sell(customer, "10.00", completed_at=local(zone, clock.today - timedelta(days=days_ago), *at))

    [row] = debtors_report(business=business, clock=clock)

    buckets = {name: getattr(row, name) for name in ("owed_0_30", "owed_31_60", "owed_61_90")}
    buckets["owed_over_90"] = row.owed_over_90
    assert buckets == {name: D("10.00") if name == bucket else D("0") for name in buckets}


def test_a_sale_at_half_past_eleven_at_night_ages_by_the_local_day(business, sell):
    """New York is UTC-4 in summer: 23:30 on 13 June locally is already 14 June in UTC.

    Counted in UTC that sale would be 30 days old on 14 July; in the shop it is 31.
    """
    business.time_zone = "America/New_York"
    business.save()
    sale_at = local("America/New_York", datetime(2026, 6, 13).date(), 23, 30)
    assert sale_at.astimezone(ZoneInfo("UTC")).date().isoformat() == "2026-06-14"
    customer = CustomerFactory(business=business)
    sell(customer, "25.00", completed_at=sale_at)
    clock = report_clock(
        business=business, now=local("America/New_York", datetime(2026, 7, 14).date(), 9)
    )

    [row] = debtors_report(business=business, clock=clock)

    assert (row.owed_0_30, row.owed_31_60) == (D("0"), D("25.00"))


def test_only_what_is_still_due_is_aged(business, sell, cashier):
    customer = CustomerFactory(business=business)
    now = timezone.now()
    sell(customer, "40.00", completed_at=now - timedelta(days=100))
    sell(customer, "60.00", completed_at=now - timedelta(days=45))
    sell(customer, "100.00", on_account="30.00", completed_at=now - timedelta(days=2))
    customer_record_payment(customer=customer, amount="50.00", method="CASH", actor=_actor(cashier))

    [row] = debtors_report(business=business)

    assert row.amount_owed == D("80.00")
    assert (row.owed_over_90, row.owed_61_90, row.owed_31_60, row.owed_0_30) == (
        D("0"),
        D("0"),
        D("50.00"),
        D("30.00"),
    )
    assert row.last_payment_date is not None


def _actor(user):
    from pos_project.actors import Actor

    return Actor.for_user(user)


# --- the endpoint --------------------------------------------------------------------------


@pytest.fixture
def book(business, sell, cashier, manager):
    """Three debtors of different ages, one customer holding credit, one owing nothing."""
    now = timezone.now()
    amina = CustomerFactory(business=business, name="Amina Alaoui", phone="+212600000001")
    sell(amina, "300.00", completed_at=now - timedelta(days=100))
    youssef = CustomerFactory(business=business, name="Youssef Benali", phone="+212600000002")
    sell(youssef, "120.00", completed_at=now - timedelta(days=40))
    sell(youssef, "80.00", completed_at=now - timedelta(days=3))
    salma = CustomerFactory(business=business, name="Salma Idrissi", phone="+212600000003")
    sell(salma, "50.00", completed_at=now - timedelta(days=70))
    customer_record_payment(customer=salma, amount="20.00", method="CARD", actor=_actor(cashier))
    credit = CustomerFactory(business=business, name="Omar Credit", phone="+212600000004")
    customer_record_payment(
        customer=credit,
        amount="15.00",
        method="CASH",
        actor=_actor(manager),
        allow_overpayment=True,
    )
    CustomerFactory(business=business, name="Nobody Owes")
    return {"amina": amina, "youssef": youssef, "salma": salma, "credit": credit}


def test_the_report_lists_non_zero_balances_largest_first_with_totals(manager_client, book):
    response = manager_client.get(URL)

    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == ["count", "next", "previous", "as_of", "totals", "results"]
    assert [row["name"] for row in body["results"]] == [
        "Amina Alaoui",
        "Youssef Benali",
        "Salma Idrissi",
        "Omar Credit",
    ]
    youssef = body["results"][1]
    assert youssef["amount_owed"] == "200.00"
    assert youssef["phone"] == "+212600000002"
    assert (youssef["owed_0_30"], youssef["owed_31_60"]) == ("80.00", "120.00")
    assert youssef["last_payment_date"] is None
    assert youssef["days_since_payment"] is None
    salma = body["results"][2]
    assert salma["owed_61_90"] == "30.00"
    assert salma["days_since_payment"] == 0
    assert body["results"][3]["amount_owed"] == "-15.00"
    assert body["totals"] == {
        "customers": 4,
        "owed": "530.00",
        "credit_held": "15.00",
        "amount_owed": "515.00",
        "owed_0_30": "80.00",
        "owed_31_60": "120.00",
        "owed_61_90": "30.00",
        "owed_over_90": "300.00",
    }


def test_totals_cover_every_page(manager_client, book):
    body = manager_client.get(URL, {"page_size": 1}).json()

    assert len(body["results"]) == 1
    assert body["next"]
    assert body["totals"]["customers"] == 4
    assert body["totals"]["amount_owed"] == "515.00"


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"min_amount": "100"}, ["Amina Alaoui", "Youssef Benali"]),
        ({"balance": "credit"}, ["Omar Credit"]),
        (
            {"balance": "owing", "min_amount": "30"},
            ["Amina Alaoui", "Youssef Benali", "Salma Idrissi"],
        ),
        ({"overdue_days": "60"}, ["Amina Alaoui", "Salma Idrissi"]),
        ({"overdue_days": "90"}, ["Amina Alaoui"]),
        ({"bucket": "owed_31_60"}, ["Youssef Benali"]),
        ({"bucket": "owed_over_90"}, ["Amina Alaoui"]),
        ({"search": "idriss"}, ["Salma Idrissi"]),
        ({"search": "0600000002"}, ["Youssef Benali"]),
        ({"ordering": "name"}, ["Amina Alaoui", "Omar Credit", "Salma Idrissi", "Youssef Benali"]),
        (
            {"ordering": "-owed_31_60"},
            ["Youssef Benali", "Amina Alaoui", "Salma Idrissi", "Omar Credit"],
        ),
        (
            {"ordering": "oldest_due_date"},
            ["Amina Alaoui", "Salma Idrissi", "Youssef Benali", "Omar Credit"],
        ),
    ],
)
def test_filters_search_and_ordering(manager_client, book, params, names):
    body = manager_client.get(URL, params).json()

    assert [row["name"] for row in body["results"]] == names
    assert body["totals"]["customers"] == len(names)


@pytest.mark.parametrize(
    "params",
    [
        {"min_amount": "lots"},
        {"overdue_days": "-1"},
        {"bucket": "owed_1_2"},
        {"balance": "maybe"},
        {"format": "pdf"},
        {"min_amount": "1e400"},
        # Named but blank: the filters are still read when any is named.
        {"balance": ""},
        {"overdue_days": ""},
    ],
)
def test_bad_parameters_are_a_400(manager_client, book, params):
    response = manager_client.get(URL, params)
    assert_error(response, 400)
    assert response["Content-Type"].startswith("application/json")


CSV_MONEY = {
    "amount_owed": "Amount owed (negative: credit held)",
    "owed_0_30": "Due 0-30 days",
    "owed_31_60": "Due 31-60 days",
    "owed_61_90": "Due 61-90 days",
    "owed_over_90": "Due Over 90 days",
}


def _csv_rows(response) -> list[dict]:
    content = response.content.decode("utf-8")
    # A byte-order mark first, so a spreadsheet reads the accents as written.
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))


def test_the_csv_parses_back_to_the_same_figures(manager_client, book):
    as_json = manager_client.get(URL).json()

    response = manager_client.get(URL, {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    assert list(rows[0])[:2] == ["Customer", "Phone"]
    assert list(rows[0])[-1] == "Customer id"
    *customers, owed, credit, net = rows
    assert [
        {"id": row["Customer id"], "name": row["Customer"]}
        | {key: D(row[header]) for key, header in CSV_MONEY.items()}
        for row in customers
    ] == [
        {"id": row["id"], "name": row["name"]} | {key: D(row[key]) for key in CSV_MONEY}
        for row in as_json["results"]
    ]
    assert {row["Currency"] for row in rows} == {"MAD"}
    # The totals say what the page and the API say: owed (the sum of the age columns),
    # credit held, net.
    assert owed["Customer"].startswith("Owed to the shop (4 customers")
    assert D(owed[CSV_MONEY["amount_owed"]]) == D(as_json["totals"]["owed"]) == D("530.00")
    for key in list(CSV_MONEY)[1:]:
        assert D(owed[CSV_MONEY[key]]) == D(as_json["totals"][key])
    assert D(owed[CSV_MONEY["amount_owed"]]) == sum(
        D(owed[CSV_MONEY[key]]) for key in list(CSV_MONEY)[1:]
    )
    assert credit["Customer"] == "Credit held for customers"
    assert D(credit[CSV_MONEY["amount_owed"]]) == -D(as_json["totals"]["credit_held"])
    assert net["Customer"] == "Net receivables"
    assert D(net[CSV_MONEY["amount_owed"]]) == D(as_json["totals"]["amount_owed"])
    assert D(net[CSV_MONEY["amount_owed"]]) == sum(
        D(row[CSV_MONEY["amount_owed"]]) for row in customers
    )
    assert [row["Days since payment"] for row in customers] == [
        "" if row["days_since_payment"] is None else str(row["days_since_payment"])
        for row in as_json["results"]
    ]


def test_the_csv_dates_are_days_in_the_shops_time_zone(manager_client, book, business):
    as_json = manager_client.get(URL).json()
    rows = _csv_rows(manager_client.get(URL, {"format": "csv"}))[:-3]

    for row, api in zip(rows, as_json["results"], strict=True):
        for header, key in (
            ("Last payment", "last_payment_date"),
            ("Oldest sale due", "oldest_due_date"),
        ):
            expected = (
                ""
                if api[key] is None
                else timezone.localdate(datetime.fromisoformat(api[key]), business.zone).isoformat()
            )
            assert row[header] == expected


def test_the_csv_honours_the_filters(manager_client, book):
    response = manager_client.get(URL, {"format": "csv", "min_amount": "100"})
    rows = _csv_rows(response)
    assert [row["Customer"] for row in rows[:-3]] == ["Amina Alaoui", "Youssef Benali"]
    assert D(rows[-3][CSV_MONEY["amount_owed"]]) == D("500.00")
    assert D(rows[-1][CSV_MONEY["amount_owed"]]) == D("500.00")


@pytest.mark.parametrize("client_name", ["manager_client", "owner_client"])
def test_managers_and_owners_read_the_report(request, client_name, book):
    assert request.getfixturevalue(client_name).get(URL).status_code == 200


def test_cashiers_may_not_read_the_report(cashier_client, book):
    assert_error(cashier_client.get(URL), 403)
    assert_error(cashier_client.get(URL, {"format": "csv"}), 403)


def test_another_business_sees_none_of_these_debtors(other_client, book):
    body = other_client.get(URL).json()
    assert body["count"] == 0
    assert body["totals"]["amount_owed"] == "0.00"


def test_the_query_count_stays_flat(
    manager_client, business, sell, cashier, django_assert_max_num_queries
):
    now = timezone.now()

    def grow(n):
        # Through the services, not the client: a request would reset the query log.
        while debtors_report(business=business).count() < n:
            customer = CustomerFactory(business=business)
            sell(customer, "30.00", completed_at=now - timedelta(days=5))
            sell(customer, "20.00", completed_at=now - timedelta(days=95))
            customer_record_payment(
                customer=customer, amount="5.00", method="CASH", actor=_actor(cashier)
            )

    assert_flat_queries(django_assert_max_num_queries, lambda: manager_client.get(URL), grow)


@pytest.mark.parametrize("unfiltered", [False, True])
def test_totals_are_zero_without_debtors(business, unfiltered):
    clock = report_clock(business=business)
    report = debtors_report(business=business)
    assert debtors_totals(report, clock=clock, unfiltered=unfiltered) == {
        "customers": 0,
        "owed": D("0"),
        "credit_held": D("0"),
        "amount_owed": D("0"),
        "owed_0_30": D("0"),
        "owed_31_60": D("0"),
        "owed_61_90": D("0"),
        "owed_over_90": D("0"),
    }


def test_unfiltered_totals_read_the_summary_and_agree_with_the_sources(business, book):
    clock = report_clock(business=business)
    report = debtors_report(business=business, clock=clock)

    assert debtors_totals(report, clock=clock, unfiltered=True) == debtors_totals(
        report, clock=clock
    )


def test_the_first_page_is_four_statements(
    manager_client, business, sell, django_assert_num_queries
):
    for _ in range(3):
        sell(CustomerFactory(business=business), "30.00")

    # The token, the receivables summary, the due slots' sums, and the page with its figures.
    with django_assert_num_queries(4):
        assert manager_client.get(URL).json()["count"] == 3


def test_the_next_local_day_ages_the_same_sale_anew(business, sell):
    zone = business.time_zone
    today = datetime(2026, 7, 15).date()
    customer = CustomerFactory(business=business)
    sell(customer, "10.00", completed_at=local(zone, today - timedelta(days=30), 12))

    def bucket_on(day):
        clock = report_clock(business=business, now=local(zone, day, 10))
        [row] = debtors_report(business=business, clock=clock)
        return row.owed_0_30, row.owed_31_60

    assert bucket_on(today) == (D("10.00"), D("0"))
    assert bucket_on(today + timedelta(days=1)) == (D("0"), D("10.00"))
    assert bucket_on(today) == (D("10.00"), D("0"))


def test_a_narrowed_report_leaves_the_next_one_whole(business, sell):
    big, small = CustomerFactory(business=business), CustomerFactory(business=business)
    sell(big, "90.00")
    sell(small, "10.00")

    assert [row.pk for row in debtors_report(business=business).filter(pk=small.pk)] == [small.pk]
    assert {row.pk for row in debtors_report(business=business)} == {big.pk, small.pk}
    sell(CustomerFactory(business=business), "5.00")
    assert debtors_report(business=business).count() == 3


def test_the_report_nested_in_another_query_after_a_page_still_reads_its_own_rows(business, sell):
    old, recent = CustomerFactory(business=business), CustomerFactory(business=business)
    sell(old, "20.00", completed_at=timezone.now() - timedelta(days=95))
    sell(recent, "10.00")
    clock = report_clock(business=business)
    # A page first, so the day's report has compiled its subqueries.
    assert len(debtors_report(business=business, clock=clock)[:50]) == 2

    # Nested, the report's outer table is renamed: its subqueries must follow it.
    overdue = debtors_report(business=business, clock=clock).filter(owed_over_90__gt=0)
    nested = Customer.objects.filter(pk__in=overdue.values("pk"))
    assert list(nested) == [old]
    totals = debtors_totals(overdue, clock=clock)
    assert (totals["customers"], totals["owed_over_90"], totals["owed_0_30"]) == (
        1,
        D("20.00"),
        D("0"),
    )


def test_the_spreadsheet_reads_no_column_per_row(
    manager_client, business, sell, django_assert_max_num_queries
):
    def grow(n):
        while debtors_report(business=business).count() < n:
            sell(CustomerFactory(business=business), "30.00")

    assert_flat_queries(
        django_assert_max_num_queries, lambda: manager_client.get(URL, {"format": "csv"}), grow
    )
