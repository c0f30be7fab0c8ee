"""update_customer, exactly as seed 004 writes it: its bodies and its Testing Checklist."""

import uuid
from decimal import Decimal

import pytest

from audit.models import AuditLog
from sales.models import Sale, SaleStatus, SaleType
from tests.contracts import assert_audited
from tests.factories.customers import CustomerFactory
from tests.factories.sales import SaleFactory, complete_sale
from tests.sales.conftest import sale_url

NOT_DRAFT = {
    "error": "Cannot update customer on a sale that is not in DRAFT status",
    "allowed_status": "DRAFT",
    "message": (
        "Customer can only be changed before the sale is completed. To change customer on a "
        "completed sale, you must cancel and recreate it."
    ),
}
MISSING = {
    "error": "customer field is required",
    "message": "Please provide a customer UUID in the request body",
    "example": {"customer": "uuid-of-customer"},
}
BAD_UUID = {"error": "Invalid customer ID format", "message": "Customer ID must be a valid UUID"}


def _update(client, sale, customer_id, method="post"):
    return getattr(client, method)(
        sale_url(sale, "sale-update-customer"), {"customer": str(customer_id)}
    )


# --- Functional tests of the checklist ------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "patch"])
def test_can_update_customer_on_draft_sale(cashier_client, draft, customer, method):
    response = _update(cashier_client, draft, customer.pk, method)

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Customer updated successfully to Fred Amugi"
    assert body["previous_customer"] == "Walk-in Customer"
    assert body["new_customer"] == "Fred Amugi"
    assert list(body) == ["message", "previous_customer", "new_customer", "sale"]
    draft.refresh_from_db()
    assert draft.customer_id == customer.pk


def test_returns_updated_sale_object(cashier_client, draft, customer):
    sale = _update(cashier_client, draft, customer.pk).json()["sale"]

    assert sale["id"] == str(draft.pk)
    assert sale["customer"] == str(customer.pk)
    assert sale["customer_name"] == "Fred Amugi"
    assert sale["status"] == "DRAFT"
    assert sale["type"] == "RETAIL"
    assert sale["total_amount"] == "0.00"
    assert sale["business"] == str(draft.business_id)
    assert sale["storefront"] == str(draft.storefront_id)
    assert sale["items"] == [] and sale["payments"] == []


def test_cannot_update_customer_on_completed_sale(cashier_client, storefront, cashier, customer):
    sale = complete_sale(storefront=storefront, actor_user=cashier)

    response = _update(cashier_client, sale, customer.pk)

    assert response.status_code == 400
    assert response.json() == {**NOT_DRAFT, "current_status": "COMPLETED"}
    assert list(response.json()) == ["error", "current_status", "allowed_status", "message"]
    sale.refresh_from_db()
    assert sale.customer_id is None


def test_cannot_update_customer_on_cancelled_sale(cashier_client, business, storefront, customer):
    sale = SaleFactory(business=business, storefront=storefront, status=SaleStatus.CANCELLED)

    response = _update(cashier_client, sale, customer.pk)

    assert response.status_code == 400
    assert response.json() == {**NOT_DRAFT, "current_status": "CANCELLED"}


def test_customer_must_exist_in_system(cashier_client, draft, business):
    unknown = uuid.uuid4()

    response = _update(cashier_client, draft, unknown)

    assert response.status_code == 404
    assert response.json() == {
        "error": "Customer not found or does not belong to this business",
        "customer_id": str(unknown),
        "business_id": str(business.pk),
        "message": "The customer must exist and belong to the same business as the sale",
    }


def test_customer_must_belong_to_same_business(cashier_client, draft, business, other_business):
    stranger = CustomerFactory(business=other_business)

    response = _update(cashier_client, draft, stranger.pk)

    assert response.status_code == 404
    assert response.json() == {
        "error": "Customer not found or does not belong to this business",
        "customer_id": str(stranger.pk),
        "business_id": str(business.pk),
        "message": "The customer must exist and belong to the same business as the sale",
    }
    draft.refresh_from_db()
    assert draft.customer_id is None


def test_audit_log_created_for_change(cashier_client, draft, customer, cashier):
    _update(cashier_client, draft, customer.pk)

    entry = assert_audited("sale.customer_updated", sale_id=draft.pk)
    assert entry.user_id == cashier.pk
    assert entry.user_name == cashier.get_full_name()
    assert entry.ip_address == "127.0.0.1"
    assert entry.description == (
        f'Customer updated from "Walk-in Customer" to "Fred Amugi" on sale {str(draft.pk)[:8]}'
    )


def test_previous_customer_stored_in_audit(cashier_client, draft, business, customer):
    first = CustomerFactory(business=business, name="Amina Tazi")
    _update(cashier_client, draft, first.pk)

    _update(cashier_client, draft, customer.pk)

    entry = AuditLog.objects.filter(event_type="sale.customer_updated").order_by("sequence").last()
    assert entry.event_data["old_customer_id"] == str(first.pk)
    assert entry.event_data["old_customer_name"] == "Amina Tazi"


def test_new_customer_stored_in_audit(cashier_client, draft, customer):
    _update(cashier_client, draft, customer.pk)

    entry = assert_audited("sale.customer_updated", sale_id=draft.pk)
    assert entry.event_data == {
        "old_customer_id": None,
        "old_customer_name": "Walk-in Customer",
        "new_customer_id": str(customer.pk),
        "new_customer_name": "Fred Amugi",
        "sale_status": "DRAFT",
    }
    assert entry.customer_id == customer.pk


# --- the seed's other error bodies ----------------------------------------------------------


@pytest.mark.parametrize("body", [{}, {"customer": None}, {"customer": ""}, []])
def test_missing_customer_gets_the_seed_400(cashier_client, draft, body):
    response = cashier_client.post(sale_url(draft, "sale-update-customer"), body, format="json")

    assert response.status_code == 400
    assert response.json() == MISSING


@pytest.mark.parametrize("value", ["not-a-uuid", "1234", 42, {"id": 1}, ["x"], True])
def test_non_uuid_customer_gets_the_seed_400(cashier_client, draft, value):
    response = cashier_client.post(
        sale_url(draft, "sale-update-customer"), {"customer": value}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == BAD_UUID


def test_deactivated_customer_gets_a_clear_400(cashier_client, draft, business):
    gone = CustomerFactory(business=business, name="Old Client", is_active=False)

    response = _update(cashier_client, draft, gone.pk)

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Customer is deactivated"
    assert "Old Client" in body["message"]
    draft.refresh_from_db()
    assert draft.customer_id is None


def test_unknown_fields_are_refused(cashier_client, draft, customer):
    response = cashier_client.post(
        sale_url(draft, "sale-update-customer"), {"customer": str(customer.pk), "name": "x"}
    )

    assert response.status_code == 400
    assert "name" in response.json()["fields"]


def test_another_business_sale_is_404(other_client, draft, customer):
    response = _update(other_client, draft, customer.pk)

    assert response.status_code == 404


def test_anonymous_is_401(anon_client, draft, customer):
    assert _update(anon_client, draft, customer.pk).status_code == 401


def test_same_customer_again_changes_nothing_and_logs_nothing(cashier_client, draft, customer):
    _update(cashier_client, draft, customer.pk)

    response = _update(cashier_client, draft, customer.pk)

    assert response.status_code == 200
    assert response.json()["previous_customer"] == "Fred Amugi"
    assert AuditLog.objects.filter(event_type="sale.customer_updated").count() == 1


# --- Integration tests of the checklist -----------------------------------------------------


def test_customer_selection_persists_through_page_refresh(cashier_client, draft, customer):
    _update(cashier_client, draft, customer.pk)

    body = cashier_client.get(sale_url(draft)).json()

    assert body["customer"] == str(customer.pk)
    assert body["customer_name"] == "Fred Amugi"


def test_customer_shows_on_receipt_after_completion(cashier_client, draft_with_items, customer):
    _update(cashier_client, draft_with_items, customer.pk)
    cashier_client.post(
        sale_url(draft_with_items, "sale-complete"),
        {"payments": [{"method": "CASH", "amount": "60.80"}]},
    )

    receipt = cashier_client.get(sale_url(draft_with_items, "sale-receipt")).json()
    page = cashier_client.get(sale_url(draft_with_items, "sale-receipt") + "?format=html")

    assert receipt["customer"]["name"] == "Fred Amugi"
    assert receipt["customer"]["phone"] == customer.phone
    assert "Fred Amugi" in page.content.decode()


def test_multiple_customer_changes_logged_correctly(cashier_client, draft, business):
    names = ["Amina Tazi", "Karim Bennani", "Salma Idrissi"]
    customers = [CustomerFactory(business=business, name=name) for name in names]

    for customer in customers:
        assert _update(cashier_client, draft, customer.pk).status_code == 200

    entries = AuditLog.objects.filter(event_type="sale.customer_updated").order_by("sequence")
    assert [
        (e.event_data["old_customer_name"], e.event_data["new_customer_name"]) for e in entries
    ] == [
        ("Walk-in Customer", "Amina Tazi"),
        ("Amina Tazi", "Karim Bennani"),
        ("Karim Bennani", "Salma Idrissi"),
    ]


def test_works_with_wholesale_retail_toggle(cashier_client, draft, stocked, customer):
    medicine = stocked("25.40", wholesale="20.00")
    cashier_client.post(
        sale_url(draft, "sale-items"), {"medicine": str(medicine.pk), "quantity": 2}
    )
    cashier_client.patch(sale_url(draft), {"type": "WHOLESALE"})

    body = _update(cashier_client, draft, customer.pk).json()

    assert body["sale"]["type"] == SaleType.WHOLESALE
    assert body["sale"]["total_amount"] == "40.00"
    retail = cashier_client.patch(sale_url(draft), {"type": "RETAIL"}).json()
    assert retail["customer_name"] == "Fred Amugi"
    assert retail["total_amount"] == "50.80"


def test_update_customer_then_on_account_uses_the_new_customer(
    cashier_client, draft_with_items, business, customer
):
    _update(cashier_client, draft_with_items, CustomerFactory(business=business).pk)
    _update(cashier_client, draft_with_items, customer.pk)

    response = cashier_client.post(
        sale_url(draft_with_items, "sale-complete"),
        {"payments": [{"method": "ON_ACCOUNT", "amount": "60.80"}]},
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("60.80")
    assert Sale.objects.get(pk=draft_with_items.pk).customer_id == customer.pk
