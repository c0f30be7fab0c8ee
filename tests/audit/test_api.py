"""GET /sales/api/audit-logs/: the business's trail for managers and owners, newest first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditLog
from pos_project.actors import Actor
from sales.models import Sale
from tests.audit.entries import record
from tests.contracts import assert_error, assert_flat_queries
from tests.factories.customers import CustomerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("auditlog-list")
FIELDS = {
    "id",
    "event_type",
    "timestamp",
    "user",
    "user_name",
    "sale",
    "customer",
    "event_data",
    "description",
    "ip_address",
}


def detail(entry):
    return reverse("auditlog-detail", kwargs={"pk": entry.pk})


def ids(response):
    assert response.status_code == 200, response.content[:300]
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def sale(business, storefront, manager):
    return Sale.objects.create(business=business, storefront=storefront, created_by=manager)


def test_an_entry_has_the_seed_004_shape(manager_client, business, manager, sale):
    # given a customer change recorded on a sale
    entry = record(
        business,
        actor=Actor(user=manager, name="John Cashier", ip_address="192.168.1.100"),
        event_type="sale.customer_updated",
        description='Customer updated from "Walk-in Customer" to "Fred Amugi"',
        event_data={"old_customer_name": "Walk-in Customer", "new_customer_name": "Fred Amugi"},
        sale=sale,
    )
    # when a manager reads it
    body = manager_client.get(detail(entry)).json()
    # then it is exactly the documented entry
    assert set(body) == FIELDS
    assert body["id"] == str(entry.id)
    assert body["event_type"] == "sale.customer_updated"
    assert body["user"] == manager.id
    assert body["user_name"] == "John Cashier"
    assert body["sale"] == str(sale.id)
    assert body["customer"] is None
    assert body["event_data"]["new_customer_name"] == "Fred Amugi"
    assert body["ip_address"] == "192.168.1.100"
    assert body["timestamp"].endswith("Z") or "+" in body["timestamp"]


def test_owners_read_the_trail_too(owner_client, business):
    entry = record(business)
    assert ids(owner_client.get(LIST)) == [str(entry.id)]


def test_a_cashier_may_not_read_the_trail(cashier_client, business):
    entry = record(business)
    assert_error(cashier_client.get(LIST), 403, "Permission denied")
    assert_error(cashier_client.get(detail(entry)), 403, "Permission denied")


def test_a_cashier_reads_the_history_of_one_sale_at_the_till(cashier_client, business, sale):
    changed = record(business, event_type="sale.customer_updated", sale=sale)
    completed = record(business, event_type="sale.completed", sale=sale)
    record(business, event_type="sale.completed")
    record(business)

    everything = cashier_client.get(LIST, {"sale": str(sale.id)})
    assert ids(everything) == [str(completed.id), str(changed.id)]
    one_kind = cashier_client.get(
        LIST, {"sale": str(sale.id), "event_type": "sale.customer_updated"}
    )
    assert ids(one_kind) == [str(changed.id)]


def test_a_cashier_reads_nothing_of_another_business_sale(
    cashier_client, other_business, other_storefront, other_manager
):
    theirs = Sale.objects.create(
        business=other_business, storefront=other_storefront, created_by=other_manager
    )
    record(other_business, sale=theirs)
    assert ids(cashier_client.get(LIST, {"sale": str(theirs.id)})) == []


@pytest.mark.parametrize("query", [{}, {"sale": ""}, {"event_type": "sale."}, {"customer": "x"}])
def test_beyond_one_sale_the_trail_stays_managers_only(cashier_client, business, query):
    record(business)
    assert_error(cashier_client.get(LIST, query), 403, "Permission denied")


def test_another_business_sees_none_of_it(other_client, business, other_business):
    entry = record(business)
    own = record(other_business)
    assert ids(other_client.get(LIST)) == [str(own.id)]
    assert_error(other_client.get(detail(entry)), 404)


def test_an_unknown_or_malformed_id_is_a_404(manager_client):
    assert_error(manager_client.get(reverse("auditlog-detail", kwargs={"pk": "nope"})), 404)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_entries_cannot_be_changed_through_the_api(manager_client, business, method):
    entry = record(business)
    response = getattr(manager_client, method)(detail(entry), {"description": "x"})
    assert_error(response, 405, "Method not allowed")
    assert AuditLog.objects.get(pk=entry.pk).description == "Test event"


def test_entries_cannot_be_created_through_the_api(manager_client):
    assert_error(manager_client.post(LIST, {"description": "x"}), 405, "Method not allowed")


def test_filter_by_sale(manager_client, business, sale):
    entry = record(business, sale=sale)
    record(business)
    assert ids(manager_client.get(LIST, {"sale": str(sale.id)})) == [str(entry.id)]


def test_filter_by_customer(manager_client, business):
    customer = CustomerFactory(business=business)
    entry = record(business, customer=customer)
    record(business)
    assert ids(manager_client.get(LIST, {"customer": str(customer.id)})) == [str(entry.id)]


def test_filter_by_exact_event_type(manager_client, business):
    entry = record(business, event_type="sale.customer_updated")
    record(business, event_type="sale.completed")
    record(business, event_type="customer.updated")
    response = manager_client.get(LIST, {"event_type": "sale.customer_updated"})
    assert ids(response) == [str(entry.id)]


def test_filter_by_event_type_family(manager_client, business):
    completed = record(business, event_type="sale.completed")
    cancelled = record(business, event_type="sale.cancelled")
    record(business, event_type="customer.created")
    record(business, event_type="staff.added")
    response = manager_client.get(LIST, {"event_type": "sale."})
    assert ids(response) == [str(cancelled.id), str(completed.id)]


def test_filter_by_user(manager_client, business, manager, cashier):
    entry = record(business, actor=Actor.for_user(cashier))
    record(business, actor=Actor.for_user(manager))
    assert ids(manager_client.get(LIST, {"user": cashier.id})) == [str(entry.id)]


def test_filter_by_time_range(manager_client, business):
    first, second, third = (record(business) for _ in range(3))
    params = {
        "since": second.timestamp.isoformat(),
        "until": (third.timestamp - timedelta(microseconds=1)).isoformat(),
    }
    assert ids(manager_client.get(LIST, params)) == [str(second.id)]
    assert ids(manager_client.get(LIST, {"since": second.timestamp.isoformat()})) == [
        str(third.id),
        str(second.id),
    ]
    assert ids(manager_client.get(LIST, {"until": first.timestamp.isoformat()})) == [str(first.id)]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("sale", "not-a-uuid"),
        ("customer", "1"),
        ("user", "1.5"),
        ("since", "yesterday"),
        ("event_type", "x" * 65),
    ],
)
def test_a_malformed_filter_is_a_400_naming_it(manager_client, param, value):
    body = assert_error(manager_client.get(LIST, {param: value}), 400, "Invalid input")
    assert param in body["fields"]


def test_a_huge_user_id_finds_nothing(manager_client, business):
    record(business)
    assert ids(manager_client.get(LIST, {"user": str(10**30)})) == []
    assert ids(manager_client.get(LIST, {"user": str(-(10**30))})) == []


def test_the_list_is_newest_first_and_cursor_paginated(manager_client, business):
    entries = [record(business) for _ in range(5)]
    expected = [str(entry.id) for entry in reversed(entries)]

    seen, url = [], LIST + "?page_size=2"
    while url:
        response = manager_client.get(url)
        body = response.json()
        assert set(body) == {"next", "previous", "results"}
        seen.extend(ids(response))
        url = body["next"]
    assert seen == expected


def test_a_forged_cursor_is_a_404(manager_client):
    # base64 of "o=abc": a cursor whose offset is not a number
    assert_error(manager_client.get(LIST, {"cursor": "bz1hYmM="}), 404)


def test_the_list_costs_the_same_queries_at_any_size(
    manager_client, business, manager, sale, django_assert_max_num_queries
):
    customer = CustomerFactory(business=business)

    def grow(n):
        while AuditLog.objects.filter(business=business).count() < n:
            record(business, actor=Actor.for_user(manager), sale=sale, customer=customer)

    assert_flat_queries(
        django_assert_max_num_queries, lambda: manager_client.get(LIST), grow, sizes=(3, 40)
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_the_first_page_is_read_off_the_index_in_list_order(business, manager_actor):
    for number in range(200):
        record(business, actor=manager_actor, description=f"entry {number}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditlog")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = AuditLog.objects.filter(business=business)[:51].explain()

    # No sort: the index gives the entries in the list's order, so the first page costs
    # the same however long the trail grows.
    assert "audit_business_time" in plan and "Sort" not in plan, plan
