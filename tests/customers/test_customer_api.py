"""The customer record through the API: create, read, update, and what is refused."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditLog
from customers.models import Customer
from tests.contracts import assert_audited, assert_error, assert_flat_queries
from tests.customers.history import give_ledger_entry
from tests.factories.customers import CustomerFactory

LIST = reverse("customer-list")


def detail(customer) -> str:
    return reverse("customer-detail", kwargs={"pk": customer.pk})


FIELDS = {
    "id",
    "name",
    "phone",
    "email",
    "address",
    "notes",
    "customer_type",
    "credit_limit",
    "has_credit_limit",
    "available_credit",
    "outstanding_balance",
    "total_purchases",
    "sales_count",
    "last_purchase_date",
    "is_active",
    "created_at",
    "updated_at",
}


# --- create -----------------------------------------------------------------------------


def test_quick_create_returns_the_whole_customer(cashier_client, business):
    response = cashier_client.post(
        LIST, {"name": "  Fatima Zahra El Amrani ", "phone": "06 12 34 56 78"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == FIELDS
    assert body["name"] == "Fatima Zahra El Amrani"
    assert body["phone"] == "+212612345678"
    assert body["customer_type"] == "RETAIL"
    assert body["credit_limit"] is None
    assert body["has_credit_limit"] is False
    assert body["available_credit"] is None
    assert body["outstanding_balance"] == "0.00"
    assert body["total_purchases"] == "0.00"
    assert body["sales_count"] == 0
    assert body["last_purchase_date"] is None
    assert body["is_active"] is True
    customer = Customer.objects.get(pk=body["id"])
    assert customer.business == business
    assert customer.search_name == "fatima zahra el amrani"


def test_create_is_audited_with_who_and_what(cashier_client, cashier):
    response = cashier_client.post(
        LIST, {"name": "Mohamed Benjelloun", "phone": "0661 23 45 67", "email": "m@example.ma"}
    )

    entry = assert_audited("customer.created", customer_id=response.json()["id"])
    assert entry.user == cashier
    assert entry.event_data["customer"]["phone"] == "+212661234567"
    assert entry.event_data["customer"]["email"] == "m@example.ma"


def test_a_manager_may_create_a_wholesale_customer_with_a_credit_limit(manager_client):
    response = manager_client.post(
        LIST,
        {
            "name": "Clinique Al Amal",
            "customer_type": "WHOLESALE",
            "credit_limit": "5000.00",
            "email": "achats@alamal.ma",
            "address": "12 Bd Zerktouni, Casablanca",
            "notes": "Pays at the end of the month.",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["customer_type"] == "WHOLESALE"
    assert body["credit_limit"] == "5000.00"
    assert body["has_credit_limit"] is True
    assert body["available_credit"] == "5000.00"
    assert body["phone"] is None


@pytest.mark.parametrize(
    "typed", ["0612345678", "+212 6 12 34 56 78", "06-12-34-56-78", "00212612345678"]
)
def test_a_phone_already_used_in_any_format_is_a_400_naming_the_customer(
    cashier_client, business, typed
):
    existing = CustomerFactory(business=business, name="Khadija Tazi", phone="+212612345678")

    response = cashier_client.post(LIST, {"name": "Someone Else", "phone": typed})

    body = assert_error(response, 400)
    assert body["code"] == "duplicate_phone"
    assert body["existing_customer"]["id"] == str(existing.pk)
    assert body["existing_customer"]["name"] == "Khadija Tazi"
    assert "phone" in body["fields"]
    assert Customer.objects.filter(business=business).count() == 1


def test_the_same_phone_may_belong_to_customers_of_two_businesses(cashier_client, other_business):
    CustomerFactory(business=other_business, phone="+212612345678")

    response = cashier_client.post(LIST, {"name": "Khadija Tazi", "phone": "0612345678"})

    assert response.status_code == 201


def test_an_unparseable_phone_is_a_400_that_says_so(cashier_client):
    response = cashier_client.post(LIST, {"name": "Khadija Tazi", "phone": "call me maybe"})

    body = assert_error(response, 400)
    assert body["code"] == "invalid_phone"
    assert "not a phone number" in body["fields"]["phone"][0]


def test_an_impossible_number_is_a_400(cashier_client):
    response = cashier_client.post(LIST, {"name": "Khadija Tazi", "phone": "123456789"})

    body = assert_error(response, 400)
    assert "not a valid phone number" in body["message"]


@pytest.mark.parametrize("phone", ["", None])
def test_a_customer_may_have_no_phone_and_many_may(cashier_client, phone):
    first = cashier_client.post(LIST, {"name": "Walk-in regular", "phone": phone})
    second = cashier_client.post(LIST, {"name": "Another regular", "phone": phone})

    assert first.status_code == second.status_code == 201
    assert first.json()["phone"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Ok", "email": "not-an-email"}, "email"),
        ({"name": "Ok", "email": "a" * 250 + "@x.ma"}, "email"),
        ({"name": "Ok", "address": "x" * 256}, "address"),
        ({"name": "Ok", "notes": "x" * 2001}, "notes"),
        ({"name": "Ok", "phone": "0" * 33}, "phone"),
        ({"name": "Ok", "customer_type": "VIP"}, "customer_type"),
        ({"name": "Ok", "credit_limit": "-1.00"}, "credit_limit"),
        ({"name": "Ok", "credit_limit": "10.999"}, "credit_limit"),
        ({"name": "Ok", "credit_limit": "lots"}, "credit_limit"),
        ({"name": "Ok", "credit_limit": "1e20"}, "credit_limit"),
        ({"name": "Ok", "is_active": "perhaps"}, "is_active"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(manager_client, body, field):
    response = manager_client.post(LIST, body)

    result = assert_error(response, 400, "Invalid input")
    assert field in result["fields"], result
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("credit_limt", "Unknown field. Accepted fields: "),
        ("business", "Unknown field. Accepted fields: "),
        ("outstanding_balance", "This field is read-only."),
        ("total_purchases", "This field is read-only."),
        ("sales_count", "This field is read-only."),
        ("last_purchase_date", "This field is read-only."),
        ("id", "This field is read-only."),
    ],
)
def test_unknown_and_read_only_fields_are_refused_by_name(manager_client, field, message):
    response = manager_client.post(LIST, {"name": "Khadija Tazi", field: "1"})

    body = assert_error(response, 400)
    ((refused, (said,)),) = body["fields"].items()
    assert refused == field and said.startswith(message)
    assert not Customer.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(cashier_client):
    response = cashier_client.post(LIST, ["name"])

    assert_error(response, 400)


# --- read -------------------------------------------------------------------------------


def test_detail_shows_every_field_and_the_credit_left(cashier_client, business):
    customer = CustomerFactory(business=business, credit_limit=Decimal("1000.00"))
    give_ledger_entry(customer, "250.50")

    body = cashier_client.get(detail(customer)).json()

    assert set(body) == FIELDS
    assert body["outstanding_balance"] == "250.50"
    assert body["credit_limit"] == "1000.00"
    assert body["available_credit"] == "749.50"
    assert body["has_credit_limit"] is True


def test_a_zero_credit_limit_means_no_credit_not_no_limit(cashier_client, business):
    customer = CustomerFactory(business=business, credit_limit=Decimal("0.00"))

    body = cashier_client.get(detail(customer)).json()

    assert body["has_credit_limit"] is True
    assert body["available_credit"] == "0.00"


def test_a_deactivated_customer_still_opens_by_id(cashier_client, business):
    customer = CustomerFactory(business=business, is_active=False)

    response = cashier_client.get(detail(customer))

    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_another_business_customer_is_a_404_for_every_method(other_client, business):
    customer = CustomerFactory(business=business)

    for method in ("get", "put", "patch", "delete"):
        response = getattr(other_client, method)(detail(customer), {"name": "Stolen"})
        assert_error(response, 404)
    customer.refresh_from_db()
    assert customer.name != "Stolen"


def test_an_id_that_is_not_a_uuid_is_a_404(cashier_client):
    assert_error(cashier_client.get(reverse("customer-detail", kwargs={"pk": "nope"})), 404)


def test_list_and_detail_cost_the_same_queries_for_5_and_50_customers(
    cashier_client, business, django_assert_max_num_queries
):
    def grow(n):
        while Customer.objects.filter(business=business).count() < n:
            customer = CustomerFactory(business=business, credit_limit=Decimal("100.00"))
            give_ledger_entry(customer, "10.00")

    assert_flat_queries(
        django_assert_max_num_queries, lambda: cashier_client.get(LIST, {"page_size": 100}), grow
    )
    assert_flat_queries(
        django_assert_max_num_queries,
        lambda: cashier_client.get(
            LIST, {"page_size": 100, "search": "client", "ordering": "-outstanding_balance"}
        ),
        grow,
    )
    first = Customer.objects.filter(business=business).first()
    assert_flat_queries(
        django_assert_max_num_queries, lambda: cashier_client.get(detail(first)), grow
    )


# --- update -----------------------------------------------------------------------------


def test_update_records_old_and_new_of_each_changed_field_only(cashier_client, business):
    customer = CustomerFactory(
        business=business, name="Said Ouali", phone="+212612345678", email="said@example.ma"
    )

    response = cashier_client.patch(
        detail(customer),
        {"name": "Saïd Ouali", "phone": "06 61 00 00 01", "email": "said@example.ma"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "+212661000001"
    entry = assert_audited("customer.updated", customer_id=customer.pk)
    assert entry.event_data == {
        "changes": {
            "name": {"old": "Said Ouali", "new": "Saïd Ouali"},
            "phone": {"old": "+212612345678", "new": "+212661000001"},
        }
    }
    customer.refresh_from_db()
    assert customer.search_name == "said ouali"


def test_sending_the_current_values_changes_and_records_nothing(cashier_client, business):
    customer = CustomerFactory(business=business, name="Said Ouali", phone="+212612345678")

    response = cashier_client.patch(detail(customer), {"name": "Said Ouali", "phone": "0612345678"})

    assert response.status_code == 200
    assert not AuditLog.objects.filter(event_type="customer.updated").exists()


def test_put_replaces_the_details_and_needs_a_name(cashier_client, business):
    customer = CustomerFactory(business=business)

    missing = cashier_client.put(detail(customer), {"phone": "0612345678"})
    replaced = cashier_client.put(
        detail(customer), {"name": "Nadia Chraibi", "address": "Rue 5, Rabat"}
    )

    assert "name" in assert_error(missing, 400)["fields"]
    assert replaced.status_code == 200
    assert replaced.json()["address"] == "Rue 5, Rabat"


def test_changing_to_a_number_another_customer_has_is_a_400(cashier_client, business):
    owner_of_number = CustomerFactory(business=business, name="Omar Fassi", phone="+212612345678")
    customer = CustomerFactory(business=business)

    response = cashier_client.patch(detail(customer), {"phone": "06 12 34 56 78"})

    body = assert_error(response, 400)
    assert body["existing_customer"]["id"] == str(owner_of_number.pk)
    assert body["existing_customer"]["name"] == "Omar Fassi"


@pytest.mark.parametrize(
    "field", ["outstanding_balance", "total_purchases", "sales_count", "last_purchase_date"]
)
def test_statistics_are_read_only_even_for_the_owner(owner_client, business, field):
    customer = CustomerFactory(business=business)

    response = owner_client.patch(detail(customer), {field: "100"})

    assert assert_error(response, 400)["fields"] == {field: ["This field is read-only."]}
    customer.refresh_from_db()
    assert customer.outstanding_balance == 0
    assert customer.sales_count == 0


def test_a_blank_name_on_update_is_a_400(cashier_client, business):
    customer = CustomerFactory(business=business)

    assert (
        "name" in assert_error(cashier_client.patch(detail(customer), {"name": " "}), 400)["fields"]
    )


# --- roles ------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [("credit_limit", "500.00"), ("is_active", False)])
def test_a_cashier_who_creates_with_a_manager_field_gets_a_403_naming_it(
    cashier_client, field, value
):
    response = cashier_client.post(LIST, {"name": "Khadija Tazi", field: value})

    body = assert_error(response, 403)
    assert field in body["message"]
    assert list(body["fields"]) == [field]
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("credit_limit", "500.00"), ("credit_limit", None), ("is_active", False)]
)
def test_a_cashier_who_changes_a_manager_field_gets_a_403_and_nothing_changes(
    cashier_client, business, field, value
):
    customer = CustomerFactory(business=business, name="Old", credit_limit=Decimal("100.00"))

    response = cashier_client.patch(detail(customer), {"name": "New", field: value})

    body = assert_error(response, 403)
    assert field in body["fields"]
    customer.refresh_from_db()
    assert (customer.name, customer.credit_limit, customer.is_active) == (
        "Old",
        Decimal("100.00"),
        True,
    )
    assert not AuditLog.objects.filter(event_type="customer.updated").exists()


def test_a_cashier_may_send_manager_fields_back_unchanged(cashier_client, business):
    customer = CustomerFactory(business=business, credit_limit=Decimal("100.00"))

    response = cashier_client.patch(
        detail(customer), {"name": "Renamed", "credit_limit": "100.00", "is_active": True}
    )

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("client_name", ["manager_client", "owner_client"])
def test_managers_and_owners_set_the_credit_limit(request, business, client_name):
    client = request.getfixturevalue(client_name)
    customer = CustomerFactory(business=business)

    response = client.patch(detail(customer), {"credit_limit": "1500"})

    assert response.status_code == 200
    assert response.json()["credit_limit"] == "1500.00"
    entry = assert_audited("customer.updated", customer_id=customer.pk)
    assert entry.event_data["changes"]["credit_limit"] == {"old": None, "new": "1500.00"}


def test_a_cashier_may_edit_contact_details(cashier_client, business):
    customer = CustomerFactory(business=business)

    response = cashier_client.patch(
        detail(customer),
        {"email": "new@example.ma", "address": "Derb Sultan", "notes": "Diabetic"},
    )

    assert response.status_code == 200


def test_deactivating_and_reactivating_are_recorded(manager_client, business):
    customer = CustomerFactory(business=business)

    manager_client.patch(detail(customer), {"is_active": False})
    manager_client.patch(detail(customer), {"is_active": True})

    assert_audited("customer.deactivated", customer_id=customer.pk)
    assert_audited("customer.reactivated", customer_id=customer.pk)
    assert not AuditLog.objects.filter(event_type="customer.updated").exists()


def test_a_manager_may_deactivate_a_customer_who_owes_to_stop_more_credit(manager_client, business):
    customer = CustomerFactory(business=business)
    give_ledger_entry(customer, "300.00")

    response = manager_client.patch(detail(customer), {"is_active": False})

    assert response.status_code == 200
    customer.refresh_from_db()
    assert not customer.is_active
    assert not customer.can_make_purchase(Decimal("1.00"))
