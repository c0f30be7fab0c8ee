"""Customers in the admin (scoped, audited through the services) and the demo customers."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditLog
from customers.models import Customer
from demo import customers as customers_demo
from demo.kernel import seed_demo_business
from pos_project.bidi import isolate
from tests.conftest import admin_client_for
from tests.contracts import assert_audited
from tests.customers.history import give_ledger_entry
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import UserFactory

CHANGELIST = reverse("admin:customers_customer_changelist")
ADD = reverse("admin:customers_customer_add")


def change_url(customer) -> str:
    return reverse("admin:customers_customer_change", args=[customer.pk])


def delete_url(customer) -> str:
    return reverse("admin:customers_customer_delete", args=[customer.pk])


def form_data(**values) -> dict:
    data = {"name": "", "phone": "", "customer_type": "RETAIL", "is_active": "on"}
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_the_list_shows_only_the_managers_business(manager_admin, business, other_business):
    CustomerFactory(business=business, name="Ours Ouafae")
    CustomerFactory(business=other_business, name="Theirs Taha")

    page = manager_admin.get(CHANGELIST).content.decode()

    assert "Ours Ouafae" in page
    assert "Theirs Taha" not in page


def test_a_superuser_sees_every_business(db, business, other_business):
    CustomerFactory(business=business, name="Ours Ouafae")
    CustomerFactory(business=other_business, name="Theirs Taha")
    root = admin_client_for(UserFactory(is_superuser=True))

    page = root.get(CHANGELIST).content.decode()

    assert "Ours Ouafae" in page and "Theirs Taha" in page


def test_cashiers_have_no_admin(cashier, business):
    client = admin_client_for(cashier)

    assert client.get(CHANGELIST).status_code in (302, 403)


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("elodie", True),
        ("BENAISSA", True),
        ("0612", True),
        ("+212 612", True),
        ("+33 6 12", False),
        ("zzz", False),
    ],
)
def test_admin_search_is_the_pos_search(manager_admin, business, term, found):
    CustomerFactory(business=business, name="Élodie Benaïssa", phone="+212612345678")

    page = manager_admin.get(CHANGELIST, {"q": term}).content.decode()

    assert ("Benaïssa" in page) is found


def test_the_list_filters_by_active_and_type(manager_admin, business):
    CustomerFactory(business=business, name="Wholesale Wafae", customer_type="WHOLESALE")
    CustomerFactory(business=business, name="Retail Rania", is_active=False)

    wholesale = manager_admin.get(CHANGELIST, {"customer_type__exact": "WHOLESALE"})
    inactive = manager_admin.get(CHANGELIST, {"is_active__exact": "0"})

    assert "Wholesale Wafae" in wholesale.content.decode()
    assert "Retail Rania" not in wholesale.content.decode()
    assert "Retail Rania" in inactive.content.decode()


def test_adding_in_the_admin_goes_through_the_service(manager_admin, manager, business):
    response = manager_admin.post(
        ADD, form_data(name=" Nadia Chraibi ", phone="06 12 34 56 78", credit_limit="300")
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    customer = Customer.objects.get(business=business)
    assert customer.name == "Nadia Chraibi"
    assert customer.phone == "+212612345678"
    assert customer.search_name == "nadia chraibi"
    assert customer.credit_limit == Decimal("300.00")
    assert assert_audited("customer.created", customer_id=customer.pk).user == manager


def test_an_admin_edit_is_audited_with_old_and_new(manager_admin, business):
    customer = CustomerFactory(business=business, name="Said Ouali", phone="+212612345678")

    response = manager_admin.post(
        change_url(customer),
        form_data(name="Saïd Ouali", phone="0612345678", credit_limit="150.00"),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    entry = assert_audited("customer.updated", customer_id=customer.pk)
    assert entry.event_data["changes"] == {
        "name": {"old": "Said Ouali", "new": "Saïd Ouali"},
        "credit_limit": {"old": None, "new": "150.00"},
    }


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": "   "}, "name", "required"),
        ({"name": "X", "phone": "not a phone"}, "phone", "not a phone number"),
        (
            {"name": "X", "phone": "0612345678"},
            "phone",
            f"already belongs to {isolate('Taken Tarik')}",
        ),
        ({"name": "X", "credit_limit": "-5"}, "credit_limit", "0 (no credit) or more"),
    ],
)
def test_what_the_service_would_refuse_is_a_form_error(
    manager_admin, business, values, field, message
):
    CustomerFactory(business=business, name="Taken Tarik", phone="+212612345678")

    response = manager_admin.post(ADD, form_data(**values))

    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors[field])
    assert Customer.objects.filter(business=business).count() == 1


def test_deleting_without_history_deletes_and_is_audited(manager_admin, business):
    customer = CustomerFactory(business=business)

    response = manager_admin.post(delete_url(customer), {"post": "yes"})

    assert response.status_code == 302
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert_audited("customer.deleted", customer_id=customer.pk)


def test_deleting_with_history_deactivates_and_says_so(manager_admin, business):
    customer = CustomerFactory(business=business, name="Kept Kamal")
    give_ledger_entry(customer, "-10.00")

    assert manager_admin.get(delete_url(customer)).status_code == 200
    response = manager_admin.post(delete_url(customer), {"post": "yes"})

    customer.refresh_from_db()
    assert not customer.is_active
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("deactivated instead" in text for text in texts), texts
    assert not any("deleted successfully" in text for text in texts), texts


def test_deleting_a_debtor_is_refused_with_the_amount(manager_admin, business):
    customer = CustomerFactory(business=business)
    give_ledger_entry(customer, "99.90")

    response = manager_admin.post(delete_url(customer), {"post": "yes"})

    customer.refresh_from_db()
    assert customer.is_active
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("99.90" in text for text in texts), texts
    assert not AuditLog.objects.filter(customer_id=customer.pk).exists()


def test_deactivate_and_reactivate_actions_are_audited(manager_admin, business):
    customer = CustomerFactory(business=business)

    for action in ("deactivate_selected", "reactivate_selected"):
        manager_admin.post(CHANGELIST, {"action": action, "_selected_action": [str(customer.pk)]})

    assert_audited("customer.deactivated", customer_id=customer.pk)
    assert_audited("customer.reactivated", customer_id=customer.pk)


# --- demo -------------------------------------------------------------------------------


def test_the_demo_customers_are_realistic_and_safe_to_load_twice(db):
    demo = seed_demo_business()

    summary = customers_demo.seed(demo)

    customers = Customer.objects.filter(business=demo.business)
    assert 24 <= customers.count() == len(customers_demo.CUSTOMERS)
    fatima = customers.get(name="Fatima Zahra El Amrani")
    assert fatima.phone == "+212612345678"
    assert fatima.search_name == "fatima zahra el amrani"
    assert customers.filter(customer_type="WHOLESALE").count() >= 3
    assert customers.exclude(credit_limit=None).count() >= 5
    assert all(customer.phone.startswith("+") for customer in customers)
    assert AuditLog.objects.filter(event_type="customer.created").count() == customers.count()
    assert "\n" not in summary and str(len(customers_demo.CUSTOMERS)) in summary

    again = customers_demo.seed(demo)

    assert customers.count() == len(customers_demo.CUSTOMERS)
    assert "0 new" in again
