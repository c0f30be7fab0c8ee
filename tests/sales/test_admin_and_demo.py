"""Sales in the admin (scoped, read-only once final, receipt link) and the demo history."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from customers.models import Customer, CustomerType
from demo import medicine as medicine_demo
from demo import sales as sales_demo
from demo.kernel import seed_demo_business
from receivables.models import CustomerLedgerEntry
from sales.models import Sale, SaleStatus, SaleType
from tests.conftest import admin_client_for
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import UserFactory
from tests.factories.sales import SaleFactory, complete_sale

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:sales_sale_changelist")


@pytest.fixture
def completed(storefront, cashier, customer):
    return complete_sale(storefront=storefront, actor_user=cashier, customer=customer)


def test_the_list_shows_only_the_managers_business(
    manager_admin, completed, other_storefront, other_manager
):
    foreign = complete_sale(storefront=other_storefront, actor_user=other_manager)

    page = manager_admin.get(CHANGELIST).content.decode()

    assert "S-000001" in page
    assert str(foreign.pk) not in page
    assert "Fred Amugi" in page


@pytest.mark.parametrize(
    "query", ["status__exact=COMPLETED", "type__exact=RETAIL", "q=Fred", "o=3"]
)
def test_the_list_filters_and_searches(manager_admin, completed, query):
    response = manager_admin.get(f"{CHANGELIST}?{query}")

    assert response.status_code == 200
    assert "S-000001" in response.content.decode()


def test_a_superuser_sees_every_business(completed, other_storefront, other_manager):
    complete_sale(storefront=other_storefront, actor_user=other_manager)
    root = UserFactory(is_superuser=True)

    response = admin_client_for(root).get(CHANGELIST)

    assert response.context["cl"].result_count == 2


def test_a_completed_sale_is_read_only(manager_admin, completed):
    url = reverse("admin:sales_sale_change", args=[completed.pk])

    page = manager_admin.get(url)
    posted = manager_admin.post(url, {"type": "WHOLESALE", "notes": "changed"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    completed.refresh_from_db()
    assert completed.type == SaleType.RETAIL and completed.notes == ""


def test_a_draft_type_change_in_the_admin_reprices_through_the_service(
    manager_admin, business, storefront
):
    sale = SaleFactory(business=business, storefront=storefront)
    url = reverse("admin:sales_sale_change", args=[sale.pk])

    response = manager_admin.post(
        url,
        {
            "type": "WHOLESALE",
            "notes": "Clinic order",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "payments-TOTAL_FORMS": "0",
            "payments-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:1500]
    sale.refresh_from_db()
    assert (sale.type, sale.notes) == (SaleType.WHOLESALE, "Clinic order")


def test_sales_cannot_be_added_or_deleted_in_the_admin(manager_admin, completed):
    assert manager_admin.get(reverse("admin:sales_sale_add")).status_code == 403
    assert (
        manager_admin.post(reverse("admin:sales_sale_delete", args=[completed.pk])).status_code
        == 403
    )


def test_the_receipt_link_prints_the_same_page_scoped_to_the_business(
    manager_admin, completed, other_manager
):
    url = reverse("admin:sales_sale_receipt", args=[completed.pk])

    page = manager_admin.get(url)
    foreign = admin_client_for(other_manager).get(url)

    assert url in manager_admin.get(CHANGELIST).content.decode()
    assert page.status_code == 200
    assert "S-000001" in page.content.decode() and "25.40 DH" in page.content.decode()
    assert foreign.status_code == 404


def test_cashiers_have_no_admin(cashier, completed):
    response = admin_client_for(cashier).get(CHANGELIST)

    assert response.status_code in (302, 403)


# --- demo ---------------------------------------------------------------------------------


def test_the_demo_history_is_consistent_and_safe_to_load_twice():
    demo = seed_demo_business()
    medicine_demo.seed(demo)
    for index in range(6):
        CustomerFactory(
            business=demo.business,
            name=f"Demo client {index}",
            credit_limit=Decimal("400.00") if index % 2 else None,
            customer_type=CustomerType.WHOLESALE if index == 5 else CustomerType.RETAIL,
        )

    summary = sales_demo.seed(demo)

    completed = Sale.objects.filter(business=demo.business, status=SaleStatus.COMPLETED)
    cancelled = Sale.objects.filter(business=demo.business, status=SaleStatus.CANCELLED)
    assert completed.count() >= 30
    assert cancelled.exclude(receipt_number=None).count() == 2
    assert completed.filter(on_account_amount__gt=0).exists()
    assert "completed" in summary
    oldest = completed.order_by("completed_at").first()
    assert (
        completed.order_by("-completed_at").first().completed_at - oldest.completed_at
    ).days > 60
    assert oldest.created_at < oldest.completed_at
    for customer in Customer.objects.filter(business=demo.business):
        ledger = sum(e.amount for e in CustomerLedgerEntry.objects.filter(customer=customer))
        assert ledger == customer.outstanding_balance
        mine = completed.filter(customer=customer)
        assert customer.sales_count == mine.count()
        assert customer.total_purchases == sum(s.total_amount for s in mine)
        last = mine.order_by("-completed_at").first()
        assert customer.last_purchase_date == (last.completed_at if last else None)
        assert (
            customer.credit_limit is None or customer.outstanding_balance <= customer.credit_limit
        )
    assert Customer.objects.filter(business=demo.business, outstanding_balance__gt=0).exists()
    call_command("check_ledgers", stdout=StringIO())

    again = sales_demo.seed(demo)

    assert "already" in again
    assert Sale.objects.filter(business=demo.business, status=SaleStatus.COMPLETED).count() == (
        completed.count()
    )
