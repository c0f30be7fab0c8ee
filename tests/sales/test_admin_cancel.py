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
    assert messages_of(response) == [
        f"Sale {on_account.receipt_number} cancelled: Returned unopened. "
        "The 50.80 DH charged to their account was taken off it."
    ]
    on_account.refresh_from_db()
    assert on_account.status == SaleStatus.CANCELLED
    assert on_account.cancel_reason == "Returned unopened"
    on_account.customer.refresh_from_db()
    assert on_account.customer.outstanding_balance == Decimal("0.00")
    assert Stock.objects.get(storefront=on_account.storefront).quantity == 10
    entry = AuditLog.objects.get(sale=on_account, event_type="sale.cancelled")
    assert entry.event_data["reason"] == "Returned unopened"


def test_cancelling_a_cash_sale_says_to_give_the_money_back(
    manager_admin, business, storefront, manager
):
    medicine = MedicineFactory(business=business, prix_br=Decimal("45.50"))
    sale = complete_sale(
        storefront=storefront,
        actor_user=manager,
        lines=[(medicine, 1)],
        payments=[{"method": "CASH", "amount": "50.00"}],
    )

    response = manager_admin.post(cancel_url(sale), {"reason": "Wrong item"})

    # 50.00 taken, 4.50 given as change: 45.50 goes back.
    assert messages_of(response) == [
        f"Sale {sale.receipt_number} cancelled: Wrong item. "
        "Give 45.50 DH back to the customer in cash."
    ]


def test_the_sales_list_marks_cancelled_sales_and_lists_no_customer_choices(
    manager_admin, business, on_account
):
    for number in range(3):
        CustomerFactory(business=business, name=f"Regular {number}")
    manager_admin.post(cancel_url(on_account), {"reason": "Returned unopened"})

    page = manager_admin.get(reverse("admin:sales_sale_changelist")).content.decode()

    assert "<h1>Sales</h1>" in page and "Select sale to change" not in page
    assert '<span class="status-tag cancelled">Cancelled</span>' in page
    assert "Regular 0" not in page, "the customer filter lists no customers to choose from"
    chosen = manager_admin.get(
        reverse("admin:sales_sale_changelist"),
        {"customer__id__exact": str(on_account.customer_id)},
    )
    assert [sale.pk for sale in chosen.context["cl"].result_list] == [on_account.pk]
    assert "Khadija Berrada" in chosen.content.decode()
    # The filter is a search box: by any part of the name, accents and case ignored.
    assert 'name="customer_q"' in page
    for query in ("khadija", "BERRADA"):
        found = manager_admin.get(
            reverse("admin:sales_sale_changelist"), {"customer_q": query, "status": "CANCELLED"}
        )
        assert [sale.pk for sale in found.context["cl"].result_list] == [on_account.pk]
        assert 'name="status" value="CANCELLED"' in found.content.decode()
    nobody = manager_admin.get(reverse("admin:sales_sale_changelist"), {"customer_q": "zzz"})
    assert list(nobody.context["cl"].result_list) == []


def test_the_sale_page_shows_amounts_with_currency_and_who_sold_by_name(manager_admin, on_account):
    page = manager_admin.get(change_url(on_account)).content.decode()

    assert "25.40 DH" in page  # the item's unit price
    assert "Charged to account" in page
    assert on_account.created_by.get_full_name() in page
    assert f"<p>{on_account.created_by.username}</p>" not in page


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


def test_the_sale_page_reads_like_its_receipt(manager_admin, manager, storefront, business):
    customer = CustomerFactory(business=business, credit_limit=None)
    medicine = MedicineFactory(business=business, prix_br=Decimal("378.10"))
    sale = complete_sale(
        storefront=storefront,
        actor_user=manager,
        customer=customer,
        lines=[(medicine, 1)],
        payments=[
            {"method": "CASH", "amount": "110.00"},
            {"method": "ON_ACCOUNT", "amount": "278.10"},
        ],
    )

    page = manager_admin.get(reverse("admin:sales_sale_change", args=[sale.pk])).content
    page = page.decode()

    assert "Cash: 110.00 DH (change given 10.00 DH)" in page
    assert "Charged to account: 278.10 DH" in page
    assert "Still due" in page or "still due" in page
    assert "Amount paid" not in page
    assert ">Business<" not in page
    receipt = reverse("admin:sales_sale_receipt", args=[sale.pk])
    assert page.count(f'href="{receipt}"') == 1
    # Cancellation fields only on a cancelled sale.
    assert "Cancel reason" not in page
