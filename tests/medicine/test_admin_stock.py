"""'Adjust stock' in the back office: storefront, change and reason, then stock_adjust."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditLog
from medicine.models import Stock
from tests.conftest import admin_client_for, messages_of, submit_form_twice
from tests.factories.medicine import MedicineFactory, StockFactory

pytestmark = pytest.mark.django_db


def adjust_url(medicine):
    return reverse("admin:medicine_medicine_adjust_stock", args=[medicine.pk])


@pytest.fixture
def shelf(business, storefront):
    return StockFactory(
        medicine=MedicineFactory(business=business, name="Doliprane"),
        storefront=storefront,
        quantity=5,
    )


def test_the_medicine_page_links_to_the_form(manager_admin, shelf):
    page = manager_admin.get(
        reverse("admin:medicine_medicine_change", args=[shelf.medicine.pk])
    ).content.decode()

    assert adjust_url(shelf.medicine) in page


def test_a_delivery_is_added_and_audited(manager_admin, shelf):
    response = manager_admin.post(
        adjust_url(shelf.medicine),
        {"storefront": shelf.storefront.pk, "quantity_delta": "12", "reason": "Delivery"},
    )

    assert response.status_code == 302
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("is now 17 (+12)" in text for text in texts), texts
    shelf.refresh_from_db()
    assert shelf.quantity == 17
    entry = AuditLog.objects.get(event_type="medicine.stock_adjusted")
    assert entry.event_data["reason"] == "Delivery"


def test_the_form_submitted_twice_moves_the_shelf_once(manager_admin, shelf):
    first, second = submit_form_twice(
        manager_admin,
        adjust_url(shelf.medicine),
        {"storefront": shelf.storefront.pk, "quantity_delta": "12", "reason": "Delivery"},
    )

    assert first.status_code == second.status_code == 302
    assert messages_of(second)[-1] == messages_of(first)[-1]
    shelf.refresh_from_db()
    assert shelf.quantity == 17


def test_taking_more_than_on_hand_is_a_form_error(manager_admin, shelf):
    response = manager_admin.post(
        adjust_url(shelf.medicine),
        {"storefront": shelf.storefront.pk, "quantity_delta": "-6", "reason": "Breakage"},
    )

    assert response.status_code == 200
    assert "Only 5 on hand" in response.content.decode()
    shelf.refresh_from_db()
    assert shelf.quantity == 5


@pytest.mark.parametrize(
    "data",
    [
        {"quantity_delta": "0", "reason": "x"},
        {"quantity_delta": "abc", "reason": "x"},
        {"quantity_delta": "1.5", "reason": "x"},
        {"quantity_delta": "99999999999", "reason": "x"},
        {"quantity_delta": "3", "reason": ""},
    ],
)
def test_bad_input_is_a_form_error(manager_admin, shelf, data):
    response = manager_admin.post(
        adjust_url(shelf.medicine), {"storefront": shelf.storefront.pk, **data}
    )

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    shelf.refresh_from_db()
    assert shelf.quantity == 5


def test_another_business_storefront_cannot_be_picked(manager_admin, shelf, other_storefront):
    response = manager_admin.post(
        adjust_url(shelf.medicine),
        {"storefront": other_storefront.pk, "quantity_delta": "3", "reason": "x"},
    )

    assert response.status_code == 200
    assert other_storefront.name not in response.content.decode()
    assert not Stock.objects.filter(storefront=other_storefront).exists()


def test_another_business_and_cashiers_get_a_404(other_manager, cashier, shelf):
    for user in (other_manager, cashier):
        client = admin_client_for(user)
        response = client.post(
            adjust_url(shelf.medicine),
            {"storefront": shelf.storefront.pk, "quantity_delta": "3", "reason": "x"},
        )
        assert response.status_code == 404
    shelf.refresh_from_db()
    assert shelf.quantity == 5
