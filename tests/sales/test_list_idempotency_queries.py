"""The sales list and its filters, Idempotency-Key on complete and cancel, and query counts
that stay flat however many lines or sales there are."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditLog
from medicine.models import Stock
from pos_project.models import IdempotencyKey
from receivables.models import CustomerLedgerEntry
from sales.models import Payment, Sale, SaleStatus, SaleType
from tests.contracts import assert_error, assert_flat_queries
from tests.factories.customers import CustomerFactory
from tests.factories.kernel import StorefrontFactory
from tests.factories.medicine import MedicineFactory, StockFactory
from tests.factories.sales import SaleFactory, SaleItemFactory, complete_sale, recompute
from tests.sales.conftest import sale_url

LIST_URL = "/sales/api/sales/"


def _ids(response):
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


# --- list and filters ---------------------------------------------------------------------


@pytest.fixture
def assorted(business, storefront, cashier, customer):
    """A walk-in draft, a wholesale draft for the customer, a completed and a cancelled sale."""
    walk_in = SaleFactory(business=business, storefront=storefront)
    wholesale = SaleFactory(
        business=business, storefront=storefront, type=SaleType.WHOLESALE, customer=customer
    )
    completed = complete_sale(storefront=storefront, actor_user=cashier, customer=customer)
    cancelled = SaleFactory(business=business, storefront=storefront, status=SaleStatus.CANCELLED)
    return {
        "walk_in": walk_in,
        "wholesale": wholesale,
        "completed": completed,
        "cancelled": cancelled,
    }


def test_list_shows_only_the_callers_business(cashier_client, other_client, assorted):
    assert _ids(cashier_client.get(LIST_URL)) == {str(s.pk) for s in assorted.values()}
    assert _ids(other_client.get(LIST_URL)) == set()


def test_list_rows_carry_customer_name_and_currency(cashier_client, assorted):
    rows = {row["id"]: row for row in cashier_client.get(LIST_URL).json()["results"]}

    assert rows[str(assorted["walk_in"].pk)]["customer_name"] == "Walk-in Customer"
    assert rows[str(assorted["wholesale"].pk)]["customer_name"] == "Fred Amugi"
    assert rows[str(assorted["completed"].pk)]["currency"] == "MAD"
    assert "items" not in rows[str(assorted["completed"].pk)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=DRAFT", {"walk_in", "wholesale"}),
        ("status=COMPLETED", {"completed"}),
        ("status=CANCELLED", {"cancelled"}),
        ("type=WHOLESALE", {"wholesale"}),
        ("walk_in=true", {"walk_in", "cancelled"}),
        ("receipt_number=s-000001", {"completed"}),
        ("search=S-0000", {"completed"}),
        ("search=fred", {"wholesale", "completed"}),
    ],
)
def test_each_filter(cashier_client, assorted, query, expected):
    assert _ids(cashier_client.get(f"{LIST_URL}?{query}")) == {
        str(assorted[name].pk) for name in expected
    }


def test_customer_filter(cashier_client, assorted, customer, other_business):
    assert _ids(cashier_client.get(f"{LIST_URL}?customer={customer.pk}")) == {
        str(assorted["wholesale"].pk),
        str(assorted["completed"].pk),
    }
    stranger = CustomerFactory(business=other_business)
    assert _ids(cashier_client.get(f"{LIST_URL}?customer={stranger.pk}")) == set()


def test_storefront_filter(cashier_client, business, assorted):
    annex = StorefrontFactory(business=business, name="Annex")
    there = SaleFactory(business=business, storefront=annex)

    assert _ids(cashier_client.get(f"{LIST_URL}?storefront={annex.pk}")) == {str(there.pk)}


def test_date_range_filters(cashier_client, assorted):
    old = assorted["walk_in"]
    Sale.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    cutoff = (timezone.now() - timedelta(days=1)).isoformat()

    before = _ids(cashier_client.get(LIST_URL, {"created_before": cutoff}))
    after = _ids(cashier_client.get(LIST_URL, {"created_after": cutoff}))
    completed = _ids(cashier_client.get(LIST_URL, {"completed_after": cutoff}))

    assert before == {str(old.pk)}
    assert str(old.pk) not in after
    assert completed == {str(assorted["completed"].pk)}


@pytest.mark.parametrize(
    "query", ["status=PAID", "type=x", "customer=nope", "created_after=yesterday", "page=0"]
)
def test_bad_filters_are_4xx_json(cashier_client, assorted, query):
    response = cashier_client.get(f"{LIST_URL}?{query}")

    assert 400 <= response.status_code < 500
    assert response.json()["error"]


def test_ordering_by_total(cashier_client, business, storefront):
    cheap = SaleFactory(business=business, storefront=storefront)
    dear = SaleFactory(business=business, storefront=storefront)
    SaleItemFactory(sale=cheap, quantity=1)
    SaleItemFactory(sale=dear, quantity=9)
    recompute(cheap)
    recompute(dear)

    rows = cashier_client.get(f"{LIST_URL}?ordering=-total_amount").json()["results"]

    assert [row["id"] for row in rows] == [str(dear.pk), str(cheap.pk)]


# --- idempotency --------------------------------------------------------------------------


def complete_through_api(client, sale, key, amount="60.80", method="CASH"):
    return client.post(
        sale_url(sale, "sale-complete"),
        {"payments": [{"method": method, "amount": amount}]},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_a_replayed_completion_returns_the_first_response_and_changes_nothing(
    cashier_client, draft_with_items, customer
):
    cashier_client.post(
        sale_url(draft_with_items, "sale-update-customer"), {"customer": str(customer.pk)}
    )
    first = complete_through_api(
        cashier_client, draft_with_items, "till-1-0001", method="ON_ACCOUNT"
    )

    again = complete_through_api(
        cashier_client, draft_with_items, "till-1-0001", method="ON_ACCOUNT"
    )

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Payment.objects.count() == 1
    assert CustomerLedgerEntry.objects.count() == 1
    assert AuditLog.objects.filter(event_type="sale.completed").count() == 1
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("60.80")
    assert customer.sales_count == 1
    assert sum(Stock.objects.values_list("quantity", flat=True)) == 197


def test_the_same_key_with_another_body_is_422(cashier_client, draft_with_items):
    complete_through_api(cashier_client, draft_with_items, "till-1-0002")

    response = complete_through_api(cashier_client, draft_with_items, "till-1-0002", amount="70.00")

    assert_error(response, 422)
    assert Payment.objects.count() == 1


def test_a_failed_attempt_releases_the_key_for_a_corrected_retry(cashier_client, draft_with_items):
    refused = complete_through_api(cashier_client, draft_with_items, "till-1-0003", amount="10.00")
    assert refused.status_code == 400

    retried = complete_through_api(cashier_client, draft_with_items, "till-1-0003")

    assert retried.status_code == 200
    assert retried.json()["receipt_number"] == "S-000001"


def test_a_replayed_cancellation_reverses_once(manager_client, storefront, cashier, customer):
    sale = complete_sale(
        storefront=storefront, actor_user=cashier, customer=customer, on_account=True
    )

    responses = [
        manager_client.post(
            sale_url(sale, "sale-cancel"),
            {"reason": "Returned"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="cancel-1",
        )
        for _ in range(3)
    ]

    assert {r.status_code for r in responses} == {200}
    assert responses[2].json() == responses[0].json()
    assert CustomerLedgerEntry.objects.count() == 2
    assert AuditLog.objects.filter(event_type="sale.cancelled").count() == 1
    assert Stock.objects.get().quantity == 100


def test_keys_are_per_user(cashier_client, manager_client, draft_with_items):
    complete_through_api(cashier_client, draft_with_items, "shared-key")

    response = complete_through_api(manager_client, draft_with_items, "shared-key")

    # Not a replay of the cashier's response: the manager's own attempt, which finds the
    # sale completed with these very payments and answers it without paying it again.
    assert response.status_code == 200
    assert "Idempotent-Replayed" not in response
    assert IdempotencyKey.objects.filter(key="shared-key").count() == 2
    assert Payment.objects.count() == 1


def test_an_empty_key_is_400(cashier_client, draft_with_items):
    assert_error(complete_through_api(cashier_client, draft_with_items, "   "), 400)


# --- query counts -------------------------------------------------------------------------


def test_detail_queries_are_flat_in_the_number_of_items(
    django_assert_max_num_queries, cashier_client, draft
):
    def grow(size):
        while draft.items.count() < size:
            SaleItemFactory(sale=draft)
        recompute(draft)

    assert_flat_queries(
        django_assert_max_num_queries,
        lambda: cashier_client.get(sale_url(draft)),
        grow,
        sizes=(3, 30),
    )


def test_adding_an_item_costs_the_same_on_a_long_sale(cashier_client, draft, business):
    medicine = MedicineFactory(business=business)

    def cost(size):
        while draft.items.count() < size:
            SaleItemFactory(sale=draft)
        with CaptureQueriesContext(connection) as queries:
            response = cashier_client.post(
                sale_url(draft, "sale-items"), {"medicine": str(medicine.pk), "quantity": 1}
            )
        assert response.status_code == 201
        return len(queries.captured_queries)

    assert cost(30) <= cost(3)


def test_completing_costs_the_same_with_more_items(cashier_client, business, storefront, cashier):
    def cost(size):
        sale = SaleFactory(business=business, storefront=storefront, created_by=cashier)
        for _ in range(size):
            item = SaleItemFactory(sale=sale)
            StockFactory(medicine=item.medicine, storefront=storefront, quantity=5)
        recompute(sale)
        with CaptureQueriesContext(connection) as queries:
            response = cashier_client.post(
                sale_url(sale, "sale-complete"),
                {"payments": [{"method": "CASH", "amount": str(sale.total_amount)}]},
                format="json",
            )
        assert response.status_code == 200, response.json()
        return len(queries.captured_queries)

    small = cost(3)
    # Stock rows are updated one per medicine with F(); everything else is flat.
    assert cost(30) <= small + 27


def test_list_queries_are_flat_in_the_number_of_sales(
    django_assert_max_num_queries, cashier_client, business, storefront
):
    def grow(size):
        while Sale.objects.count() < size:
            SaleFactory(
                business=business,
                storefront=storefront,
                customer=CustomerFactory(business=business),
            )

    assert_flat_queries(
        django_assert_max_num_queries, lambda: cashier_client.get(LIST_URL), grow, sizes=(3, 30)
    )
