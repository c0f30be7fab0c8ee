"""The customer services called directly, as the admin, commands and other apps call them."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from customers import services
from customers.models import Customer
from customers.services import (
    DeleteOutcome,
    customer_create,
    customer_delete,
    customer_set_active,
    customer_update,
)
from pos_project.actors import Actor
from pos_project.errors import Conflict, DomainError, Forbidden
from tests.conftest import requires_postgres
from tests.contracts import assert_audited
from tests.factories.customers import CustomerFactory

SYSTEM = Actor.system("test")


def test_create_folds_the_name_for_search_and_normalises_the_phone(business):
    customer = customer_create(
        business=business, actor=SYSTEM, name="  Ghita  SEBTI-Çelik ", phone="0676 34 12 56"
    )

    assert customer.name == "Ghita  SEBTI-Çelik"
    assert customer.search_name == "ghita sebti-celik"
    assert customer.phone == "+212676341256"


def test_a_very_long_name_that_grows_when_folded_still_fits(business):
    customer = customer_create(business=business, actor=SYSTEM, name="ß" * 200)

    customer.refresh_from_db()
    assert len(customer.search_name) == 200


def test_the_phone_follows_the_business_region(business):
    business.default_region = "FR"
    business.save()

    customer = customer_create(business=business, actor=SYSTEM, name="Élodie", phone="0612345678")

    assert customer.phone == "+33612345678"


def test_update_refuses_fields_it_does_not_own(business):
    customer = CustomerFactory(business=business)

    with pytest.raises(DomainError) as error:
        customer_update(customer=customer, actor=SYSTEM, data={"outstanding_balance": 0})

    assert error.value.details["fields"] == {
        "outstanding_balance": ["This field cannot be changed."]
    }


def test_update_refuses_more_than_two_decimals(business):
    customer = CustomerFactory(business=business)

    with pytest.raises(DomainError) as error:
        customer_update(customer=customer, actor=SYSTEM, data={"credit_limit": Decimal("1.005")})

    assert "credit_limit" in error.value.details["fields"]


@pytest.mark.parametrize(
    ("limit", "code"),
    [("1e30", "amount_too_large"), ("1000000000000.00", "amount_too_large"), ("NaN", None)],
)
def test_update_refuses_a_limit_past_the_largest_amount_or_not_a_number(business, limit, code):
    customer = CustomerFactory(business=business, credit_limit=Decimal("500.00"))

    with pytest.raises(DomainError) as error:
        customer_update(customer=customer, actor=SYSTEM, data={"credit_limit": Decimal(limit)})

    assert "credit_limit" in error.value.details["fields"]
    if code is not None:
        assert error.value.code == code
    customer.refresh_from_db()
    assert customer.credit_limit == Decimal("500.00")


def test_a_cashier_actor_may_not_deactivate_or_delete(business, cashier_actor):
    customer = CustomerFactory(business=business)

    with pytest.raises(Forbidden) as deactivate:
        customer_set_active(customer=customer, actor=cashier_actor, is_active=False)
    with pytest.raises(Forbidden) as delete:
        customer_delete(customer=customer, actor=cashier_actor)

    assert deactivate.value.code == "manager_only_field"
    assert delete.value.code == "manager_required"
    assert Customer.objects.filter(pk=customer.pk, is_active=True).exists()


def test_set_active_is_recorded_once_per_real_change(business, manager_actor):
    customer = CustomerFactory(business=business)

    customer_set_active(customer=customer, actor=manager_actor, is_active=False)
    customer_set_active(customer=customer, actor=manager_actor, is_active=False)

    assert_audited("customer.deactivated", customer_id=customer.pk)


def test_delete_returns_what_it_did(business, manager_actor):
    customer = CustomerFactory(business=business)

    assert customer_delete(customer=customer, actor=manager_actor) == DeleteOutcome.DELETED


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_tills_creating_one_number_at_once_get_one_customer_and_a_clear_400(
    business, monkeypatch
):
    """Both tills pass the friendly look-up before either inserts: the constraint decides."""
    real_lookup = services._phone_owner
    both_checked = threading.Barrier(2, timeout=10)
    state = threading.local()

    def racing_lookup(customer):
        if not getattr(state, "checked", False):
            state.checked = True
            both_checked.wait()
            return None
        return real_lookup(customer)

    monkeypatch.setattr(services, "_phone_owner", racing_lookup)
    outcomes = []

    def till(name):
        try:
            customer_create(business=business, actor=SYSTEM, name=name, phone="0612345678")
            outcomes.append(("created", name))
        except DomainError as error:
            outcomes.append(("refused", error))
        finally:
            connection.close()

    threads = [threading.Thread(target=till, args=(name,)) for name in ("Till One", "Till Two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    created = [name for kind, name in outcomes if kind == "created"]
    refused = [error for kind, error in outcomes if kind == "refused"]
    assert len(created) == len(refused) == 1, outcomes
    assert refused[0].code == "duplicate_phone"
    assert refused[0].details["existing_customer"]["name"] == created[0]
    assert Customer.objects.filter(business=business).count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_delete_waits_for_a_concurrent_edit_and_sees_its_result(business, manager_actor):
    """The row lock orders them: the delete decides on the committed balance."""
    customer = CustomerFactory(business=business)
    locked = threading.Event()
    release = threading.Event()

    def charge_while_locked():
        from django.db import transaction

        try:
            with transaction.atomic():
                Customer.objects.select_for_update().get(pk=customer.pk)
                locked.set()
                release.wait(timeout=10)
                Customer.objects.filter(pk=customer.pk).update(outstanding_balance=Decimal("5"))
        finally:
            connection.close()

    thread = threading.Thread(target=charge_while_locked)
    thread.start()
    assert locked.wait(timeout=10)
    threading.Timer(0.3, release.set).start()

    with pytest.raises(Conflict) as error:
        customer_delete(customer=customer, actor=manager_actor)
    thread.join(timeout=10)

    assert error.value.code == "customer_has_balance"
    assert Customer.objects.filter(pk=customer.pk).exists()
