"""Credit alerts: the back-office home lists the customers worth a call (at 80 % of their
credit limit or more, or owing on a sale older than 60 days) with what they owe and a number
to call, and the customers list filters each group."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from receivables.credit_alerts import credit_alerts
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")
CHANGELIST = reverse("admin:customers_customer_changelist")


@pytest.fixture
def shop(business, other_business, sell):
    """Who is near their limit, who owes on an old sale, and who is neither."""
    near = CustomerFactory(
        business=business, name="Nadia Near", phone="+212661000001", credit_limit=Decimal("500")
    )
    sell(near, "400.00")  # 80 % of the limit
    below = CustomerFactory(business=business, name="Bilal Below", credit_limit=Decimal("500"))
    sell(below, "395.00")  # 79 %
    late = CustomerFactory(business=business, name="Omar Old", phone="+212661000002")
    sell(late, "30.00", completed_at=timezone.now() - timedelta(days=61))
    recent = CustomerFactory(business=business, name="Rania Recent")
    sell(recent, "30.00", completed_at=timezone.now() - timedelta(days=59))
    elsewhere = CustomerFactory(
        business=other_business, name="Rival Near", credit_limit=Decimal("100")
    )
    elsewhere.outstanding_balance = Decimal("100.00")
    elsewhere.save(update_fields=["outstanding_balance"])
    return near, late


def test_the_home_page_lists_the_customers_to_call(manager_admin, shop):
    page = manager_admin.get(HOME).content.decode()
    alerts = page[page.index('id="credit-alerts"') :]
    near_limit = alerts[alerts.index('id="near-limit"') : alerts.index('id="overdue"')]
    overdue = alerts[alerts.index('id="overdue"') :]

    assert "Nadia Near" in near_limit and "Bilal Below" not in near_limit
    assert 'href="tel:+212661000001"' in near_limit
    assert "400.00" in near_limit and "500.00" in near_limit
    assert "Omar Old" in overdue and "Rania Recent" not in overdue
    assert 'href="tel:+212661000002"' in overdue
    assert "Rival Near" not in alerts
    assert f"{CHANGELIST}?owes=near_limit" in alerts and f"{CHANGELIST}?owes=overdue" in alerts


@pytest.mark.parametrize(
    ("owes", "listed"), [("near_limit", "Nadia Near"), ("overdue", "Omar Old")]
)
def test_the_customers_list_filters_each_group(manager_admin, shop, owes, listed):
    response = manager_admin.get(CHANGELIST, {"owes": owes})

    assert response.status_code == 200
    names = {customer.name for customer in response.context["cl"].result_list}
    assert names == {listed}


def test_the_alerts_cost_the_same_queries_however_many_customers(
    business, sell, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            customer = CustomerFactory(business=business, credit_limit=Decimal("100"))
            sell(customer, "90.00", completed_at=timezone.now() - timedelta(days=70))

    add(2)
    with django_assert_num_queries(4):
        few = credit_alerts(business=business)
    add(8)
    with django_assert_num_queries(4):
        many = credit_alerts(business=business)
    assert (few.near_limit_count, few.overdue_count) == (2, 2)
    assert (many.near_limit_count, many.overdue_count, len(many.near_limit)) == (10, 10, 5)


def test_the_debtors_report_keeps_a_number_to_call_under_the_name(manager_admin, shop):
    page = manager_admin.get(reverse("admin:customers_customer_debtors")).content.decode()

    # Under the name: the one place a phone's narrow screen keeps it.
    assert '<div class="phone-under-name"><a href="tel:+212661000001"' in page
