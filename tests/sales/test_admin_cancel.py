"""'Cancel sale' in the back office: a reason, then the same service as the API's cancel."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditLog
from medicine.models import Stock
from sales.models import SaleStatus
from tests.conftest import BackOfficeClient, admin_client_for, messages_of, submit_form_twice
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import SaleFactory, complete_sale

pytestmark = pytest.mark.django_db


def cancel_url(sale):
    return reverse("admin:sales_sale_cancel", args=[sale.pk])


def change_url(sale):
    return reverse("admin:sales_sale_change", args=[sale.pk])


@pytest.fixture
def on_account(business, storefront, manager):
    """A completed sale of 2 units, 50.80 on Khadija's account."""
    customer = CustomerFactory(business=business, name="Khadija Berrada")
    medicine = MedicineFactory(business=business, prix_br=Decimal("25.40"))
    return complete_sale(
        storefront=storefront,
        actor_user=manager,
        customer=customer,
        lines=[(medicine, 2)],
        on_account=True,
        stock=10,
    )


def test_the_sale_page_offers_the_receipt_and_cancel(manager_admin, on_account):
    page = manager_admin.get(change_url(on_account)).content.decode()

    assert reverse("admin:sales_sale_receipt", args=[on_account.pk]) in page
    assert cancel_url(on_account) in page
    assert "50.80 DH" in page


def test_a_manager_cancels_with_a_reason(manager_admin, on_account):
    response = manager_admin.post(cancel_url(on_account), {"reason": "Returned unopened"})

    assert response.status_code == 302
    assert response.url == change_url(on_account)
    assert f"Sale {on_account.receipt_number} cancelled: Returned unopened" in messages_of(response)
    on_account.refresh_from_db()
    assert on_account.status == SaleStatus.CANCELLED
    assert on_account.cancel_reason == "Returned unopened"
    on_account.customer.refresh_from_db()
    assert on_account.customer.outstanding_balance == Decimal("0.00")
    assert Stock.objects.get(storefront=on_account.storefront).quantity == 10
    entry = AuditLog.objects.get(sale=on_account, event_type="sale.cancelled")
    assert entry.event_data["reason"] == "Returned unopened"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(manager_admin, on_account, reason):
    response = manager_admin.post(cancel_url(on_account), {"reason": reason})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    on_account.refresh_from_db()
    assert on_account.status == SaleStatus.COMPLETED


def test_the_form_submitted_twice_cancels_once_and_shows_the_first_result(
    manager_admin, on_account
):
    first, second = submit_form_twice(
        manager_admin, cancel_url(on_account), {"reason": "Returned unopened"}
    )

    assert first.status_code == second.status_code == 302
    assert messages_of(second)[-1] == messages_of(first)[-1]
    assert "cancelled: Returned unopened" in messages_of(second)[-1]
    on_account.refresh_from_db()
    assert on_account.status == SaleStatus.CANCELLED
    assert AuditLog.objects.filter(event_type="sale.cancelled").count() == 1
    assert Stock.objects.get().quantity == 10


def test_a_cancelled_sale_is_not_cancelled_again(manager_admin, on_account):
    manager_admin.post(cancel_url(on_account), {"reason": "Returned"})

    page = manager_admin.get(change_url(on_account)).content.decode()
    response = manager_admin.post(cancel_url(on_account), {"reason": "Again"})

    assert cancel_url(on_account) not in page
    assert response.status_code == 302
    assert any("already cancelled" in text for text in messages_of(response))
    assert AuditLog.objects.filter(sale=on_account, event_type="sale.cancelled").count() == 1


def test_a_draft_is_cancelled_without_touching_stock(manager_admin, business, storefront):
    draft = SaleFactory(business=business, storefront=storefront)

    manager_admin.post(cancel_url(draft), {"reason": "Customer left"})

    draft.refresh_from_db()
    assert draft.status == SaleStatus.CANCELLED


def test_a_cashier_cannot_cancel(cashier, on_account):
    client = admin_client_for(cashier)

    assert client.get(cancel_url(on_account)).status_code == 404
    assert client.post(cancel_url(on_account), {"reason": "x"}).status_code == 404
    on_account.refresh_from_db()
    assert on_account.status == SaleStatus.COMPLETED


def test_another_business_sale_is_a_404(other_manager, on_account):
    client = admin_client_for(other_manager)

    assert client.get(cancel_url(on_account)).status_code == 404
    assert client.post(cancel_url(on_account), {"reason": "x"}).status_code == 404
    on_account.refresh_from_db()
    assert on_account.status == SaleStatus.COMPLETED


def test_a_superuser_may_reverse_a_completed_sale_as_a_manager_would(on_account):
    # Superusers administer the platform: they carry manager rights, like server commands.
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client = BackOfficeClient()
    client.force_login(root)

    assert cancel_url(on_account) in client.get(change_url(on_account)).content.decode()
    response = client.post(cancel_url(on_account), {"reason": "Entered twice"})

    assert response.status_code == 302
    on_account.refresh_from_db()
    assert on_account.status == SaleStatus.CANCELLED
