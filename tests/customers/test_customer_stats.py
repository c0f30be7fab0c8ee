"""The customer dashboard (seed 000): totals, recent buyers, receivables, average sale."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.contracts import assert_error, assert_flat_queries
from tests.customers.history import give_ledger_entry, give_purchases
from tests.factories.customers import CustomerFactory

STATS = reverse("customer-stats")


def test_an_empty_business_has_zeroes_not_errors(cashier_client):
    response = cashier_client.get(STATS)

    assert response.status_code == 200
    assert response.json() == {
        "total_customers": 0,
        "inactive_customers": 0,
        "active_customers": 0,
        "days": 90,
        "total_outstanding": "0.00",
        "total_credit_held": "0.00",
        "net_receivables": "0.00",
        "average_purchase_value": "0.00",
    }


@pytest.fixture
def dashboard(business, other_business):
    now = timezone.now()
    recent = CustomerFactory(business=business)
    give_purchases(recent, total="300.00", count=2, last=now - timedelta(days=3))
    give_ledger_entry(recent, "120.50")
    older = CustomerFactory(business=business)
    give_purchases(older, total="100.00", count=1, last=now - timedelta(days=120))
    give_ledger_entry(older, "-40.25")
    gone = CustomerFactory(business=business, is_active=False)
    give_purchases(gone, total="50.00", count=4, last=now - timedelta(days=10))
    give_ledger_entry(gone, "9.50")
    CustomerFactory(business=business)  # never bought
    # Another business's figures never leak in.
    rival = CustomerFactory(business=other_business)
    give_purchases(rival, total="99999.00", count=1, last=now)
    give_ledger_entry(rival, "5000.00")


def test_the_figures(cashier_client, dashboard):
    body = cashier_client.get(STATS).json()

    assert body == {
        "total_customers": 3,
        "inactive_customers": 1,
        "active_customers": 2,  # the recent buyer and the deactivated one, within 90 days
        "days": 90,
        "total_outstanding": "130.00",
        "total_credit_held": "40.25",
        "net_receivables": "89.75",
        "average_purchase_value": "64.29",  # 450.00 over 7 sales
    }


@pytest.mark.parametrize(("days", "active"), [("5", 1), ("30", 2), ("365", 3), ("3650", 3)])
def test_active_customers_follow_the_days_window(cashier_client, dashboard, days, active):
    body = cashier_client.get(STATS, {"days": days}).json()

    assert body["active_customers"] == active
    assert body["days"] == int(days)


@pytest.mark.parametrize("days", ["0", "-1", "3651", "abc", "1.5"])
def test_a_bad_days_window_is_a_400_naming_it(cashier_client, days):
    assert "days" in assert_error(cashier_client.get(STATS, {"days": days}), 400)["fields"]


def test_the_dashboard_costs_the_same_queries_at_any_size(
    cashier_client, business, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n - business.customers.count()):
            give_ledger_entry(CustomerFactory(business=business), "1.00")

    assert_flat_queries(django_assert_max_num_queries, lambda: cashier_client.get(STATS), grow)
