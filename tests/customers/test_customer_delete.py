"""DELETE, as DESIGN section 4 says: gone, deactivated, or refused."""

from decimal import Decimal

from django.urls import reverse

from audit.models import AuditLog
from customers.models import Customer
from tests.contracts import assert_audited, assert_error
from tests.customers.history import give_ledger_entry, give_sale
from tests.factories.customers import CustomerFactory


def detail(customer) -> str:
    return reverse("customer-detail", kwargs={"pk": customer.pk})


def test_a_customer_without_history_is_deleted(manager_client, manager, business):
    customer = CustomerFactory(business=business, name="Typo Customer")

    response = manager_client.delete(detail(customer))

    assert response.status_code == 204
    assert not Customer.objects.filter(pk=customer.pk).exists()
    entry = assert_audited("customer.deleted", customer_id=customer.pk)
    assert entry.user == manager
    assert entry.event_data["customer"]["name"] == "Typo Customer"


def test_a_customer_with_ledger_history_is_deactivated_instead(manager_client, business):
    customer = CustomerFactory(business=business)
    give_ledger_entry(customer, "100.00")
    give_ledger_entry(customer, "-100.00")

    response = manager_client.delete(detail(customer))

    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "deactivated"
    assert body["customer"]["is_active"] is False
    assert "deactivated" in body["message"]
    customer.refresh_from_db()
    assert not customer.is_active
    assert_audited("customer.deactivated", customer_id=customer.pk)
    assert not AuditLog.objects.filter(event_type="customer.deleted").exists()


def test_a_customer_named_on_a_sale_is_deactivated_not_deleted(
    owner_client, business, storefront, owner
):
    customer = CustomerFactory(business=business)
    give_sale(customer, storefront=storefront, user=owner)

    response = owner_client.delete(detail(customer))

    assert response.json()["outcome"] == "deactivated"
    assert Customer.objects.filter(pk=customer.pk, is_active=False).exists()


def test_a_customer_who_owes_money_is_refused_with_the_amount(manager_client, business):
    customer = CustomerFactory(business=business)
    give_ledger_entry(customer, "420.75")

    response = manager_client.delete(detail(customer))

    body = assert_error(response, 409)
    assert body["code"] == "customer_has_balance"
    assert body["outstanding_balance"] == "420.75"
    assert "420.75" in body["message"]
    customer.refresh_from_db()
    assert customer.is_active
    assert not AuditLog.objects.filter(customer_id=customer.pk).exists()


def test_a_customer_the_shop_holds_credit_for_is_deactivated(manager_client, business):
    customer = CustomerFactory(business=business)
    give_ledger_entry(customer, "-50.00")

    response = manager_client.delete(detail(customer))

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("-50.00")
    assert not customer.is_active


def test_deleting_an_already_deactivated_customer_records_nothing_new(manager_client, business):
    customer = CustomerFactory(business=business)
    give_ledger_entry(customer, "-5.00")
    manager_client.delete(detail(customer))

    again = manager_client.delete(detail(customer))

    assert again.status_code == 200
    assert_audited("customer.deactivated", customer_id=customer.pk)


def test_a_cashier_may_not_delete(cashier_client, business):
    customer = CustomerFactory(business=business)

    assert_error(cashier_client.delete(detail(customer)), 403)
    assert Customer.objects.filter(pk=customer.pk, is_active=True).exists()
