"""Holding a customer's money as credit is a manager's decision: a cashier's overpayment is
refused with the amount owed, unless the owner lets cashiers take deposits."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.models import Role
from receivables.models import CustomerLedgerEntry, CustomerPayment
from staff.services import business_update
from tests.conftest import admin_client_for
from tests.contracts import assert_audited, assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import StaffMemberFactory
from tests.receivables.test_receivables_service import sell_on_account


@pytest.fixture
def debtor(business, storefront, cashier):
    """A customer who owes 10.00 on one on-account sale."""
    customer = CustomerFactory(business=business, name="Karim Idrissi")
    sell_on_account(storefront=storefront, user=cashier, customer=customer, amount="10.00")
    return customer


def _pay(client, customer, amount, **extra):
    return client.post(
        reverse("customer-record-payment", kwargs={"pk": customer.pk}),
        {"amount": amount, "method": "CASH", **extra},
        format="json",
    )


def test_attack_a_cashier_turns_a_small_debt_into_held_credit(cashier_client, debtor):
    body = assert_error(
        _pay(cashier_client, debtor, "500.00", allow_overpayment=True),
        400,
        "Deposits need a manager",
    )

    assert body["code"] == "deposit_not_allowed"
    assert body["outstanding_balance"] == "10.00"
    assert "10.00" in body["message"]
    debtor.refresh_from_db()
    assert debtor.outstanding_balance == Decimal("10.00")
    assert not CustomerPayment.objects.filter(customer=debtor).exists()
    assert CustomerLedgerEntry.objects.filter(customer=debtor).count() == 1


def test_a_cashier_still_records_what_is_owed(cashier_client, debtor):
    response = _pay(cashier_client, debtor, "10.00", allow_overpayment=True)

    assert response.status_code == 201
    assert response.json()["outstanding_balance"] == "0.00"


def test_a_manager_holds_the_extra_as_credit(manager_client, debtor):
    response = _pay(manager_client, debtor, "500.00", allow_overpayment=True)

    assert response.status_code == 201
    assert response.json()["outstanding_balance"] == "-490.00"


def test_when_the_owner_allows_it_a_cashier_takes_a_deposit(cashier_client, debtor, business):
    business.cashiers_take_deposits = True
    business.save()

    response = _pay(cashier_client, debtor, "500.00", allow_overpayment=True)

    assert response.status_code == 201
    assert response.json()["outstanding_balance"] == "-490.00"


def test_the_setting_is_off_by_default_and_shown_in_me(cashier_client, business):
    assert business.cashiers_take_deposits is False
    assert cashier_client.get("/api/me/").json()["business"]["cashiers_take_deposits"] is False


def test_the_owner_turns_it_on_in_the_back_office_and_it_is_audited(owner, business):
    page = f"/admin/pos_project/business/{business.pk}/change/"
    owner_admin = admin_client_for(owner)
    form = owner_admin.get(page)
    assert form.status_code == 200
    assert "cashiers_take_deposits" in form.content.decode()

    response = owner_admin.post(
        page,
        {
            "name": business.name,
            "currency_code": business.currency_code,
            "default_region": business.default_region,
            "time_zone": business.time_zone,
            "language": business.language,
            "cashiers_take_deposits": "on",
            "storefronts-TOTAL_FORMS": "0",
            "storefronts-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    business.refresh_from_db()
    assert business.cashiers_take_deposits is True
    entry = assert_audited("business.updated", business=business)
    assert entry.event_data["changes"]["cashiers_take_deposits"] == {"old": False, "new": True}


def test_a_manager_can_neither_see_nor_change_the_setting(manager, manager_admin, business):
    page = f"/admin/pos_project/business/{business.pk}/change/"
    assert manager_admin.get(page).status_code in (302, 403)

    business.cashiers_take_deposits = True
    with pytest.raises(DomainError) as refused:
        business_update(business=business, actor=Actor.for_user(manager))
    assert refused.value.code == "owner_required"
    business.refresh_from_db()
    assert business.cashiers_take_deposits is False


def test_another_owner_does_not_see_this_business(business, other_business):
    rival_owner = StaffMemberFactory(business=other_business, role=Role.OWNER).user
    rival_admin = admin_client_for(rival_owner)
    listing = rival_admin.get("/admin/pos_project/business/").content.decode()
    assert business.name not in listing
    assert other_business.name in listing
