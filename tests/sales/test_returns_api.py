"""Returns through the API, as a till or the back office calls it: taking one, the sale's
returns, the list of all returns, the slip, idempotency, and every refusal leaving things
as they were."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.events import AuditEvent
from audit.models import AuditLog
from receivables.ledger_checks import ledger_check, receivables_summary_check
from sales.models import Return, SaleStatus
from tests.contracts import assert_error, assert_flat_queries
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale, money
from tests.sales.conftest import sale_url


@pytest.fixture
def box(business):
    return MedicineFactory(business=business, prix_br=Decimal("30.00"), name="Doliprane 1g")


@pytest.fixture
def on_account_sale(storefront, cashier, customer, box):
    return complete_sale(
        storefront=storefront,
        actor_user=cashier,
        lines=[(box, 3)],
        customer=customer,
        on_account=True,
    )


def _body(sale, quantity=1, **extra):
    item = sale.items.get()
    line = {"item": str(item.pk), "quantity": quantity}
    line.update(extra.pop("line", {}))
    return {"items": [line], "reason": "Wrong strength", **extra}


def _post(client, sale, body, **headers):
    return client.post(sale_url(sale, "sale-returns"), body, format="json", headers=headers)


def test_a_manager_takes_a_return_and_the_sale_shows_it(manager_client, on_account_sale):
    response = _post(manager_client, on_account_sale, _body(on_account_sale, 2))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "R-000001"
    assert body["receipt_number"] == on_account_sale.receipt_number
    assert body["total"] == "60.00"
    assert body["refund_method"] == "ACCOUNT"
    assert body["refunds"] == [{"method": "AMOUNT_DUE", "amount": "60.00"}]
    assert body["items"][0]["quantity"] == 2 and body["items"][0]["restocked"] is True
    detail = manager_client.get(sale_url(on_account_sale)).json()
    assert detail["status"] == "COMPLETED"
    assert detail["returned_total"] == "60.00"
    assert detail["amount_due"] == "30.00"
    assert detail["items"][0]["returned_quantity"] == 2
    receipt = manager_client.get(sale_url(on_account_sale, "sale-receipt")).json()
    assert receipt["returned_total"] == "60.00"
    assert receipt["lines"][0]["returned_quantity"] == 2
    listed = manager_client.get(sale_url(on_account_sale, "sale-returns")).json()
    assert [r["number"] for r in listed] == ["R-000001"]


def test_an_owner_may_take_a_return(owner_client, on_account_sale):
    assert _post(owner_client, on_account_sale, _body(on_account_sale)).status_code == 201


def test_a_cash_sale_is_refunded_in_cash_then_the_rest(manager_client, storefront, cashier, box):
    sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 3)])

    first = _post(manager_client, sale, _body(sale, 1)).json()
    second = _post(manager_client, sale, _body(sale, 2, refund_method="CARD")).json()

    assert first["refunds"] == [{"method": "CASH", "amount": "30.00"}]
    assert second["refunds"] == [{"method": "CARD", "amount": "60.00"}]
    refused = assert_error(_post(manager_client, sale, _body(sale, 1)), 409)
    assert refused["code"] == "return_exceeds_sold"
    assert refused["lines"][0]["returnable"] == 0


def test_a_retry_with_the_same_key_returns_once(manager_client, on_account_sale):
    key = str(uuid.uuid4())
    body = _body(on_account_sale)

    first = _post(manager_client, on_account_sale, body, **{"Idempotency-Key": key})
    again = _post(manager_client, on_account_sale, body, **{"Idempotency-Key": key})

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Return.objects.count() == 1
    other = _post(
        manager_client, on_account_sale, _body(on_account_sale, 2), **{"Idempotency-Key": key}
    )
    assert_error(other, 422)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"line": {"quantity": 0}}, "items"),
        ({"line": {"quantity": -1}}, "items"),
        ({"line": {"quantity": 1.5}}, "items"),
        ({"line": {"quantity": "two"}}, "items"),
        ({"line": {"item": "not-a-uuid"}}, "items"),
        ({"line": {"restock": "maybe"}}, "items"),
        ({"line": {"colour": "red"}}, "items"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"refund_method": "ON_ACCOUNT"}, "refund_method"),
        ({"refund_method": "AMOUNT_DUE"}, "refund_method"),
        ({"items": []}, "items"),
        ({"items": "all"}, "items"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_bodies_are_400_and_change_nothing(manager_client, on_account_sale, change, field):
    body = _body(on_account_sale, **{k: v for k, v in change.items() if k != "line"})
    if "line" in change:
        body["items"][0].update(change["line"])

    refused = assert_error(_post(manager_client, on_account_sale, body), 400)

    assert field in refused.get("fields", {}), refused
    assert not Return.objects.exists()


def test_a_missing_reason_is_a_400(manager_client, on_account_sale):
    body = _body(on_account_sale)
    del body["reason"]
    assert "reason" in assert_error(_post(manager_client, on_account_sale, body), 400)["fields"]


def test_refusals_on_the_records_change_nothing(
    manager_client, cashier_client, other_client, on_account_sale, storefront, cashier, box
):
    walk_in = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)])
    other_sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)])
    foreign_line = _body(other_sale)["items"]

    assert assert_error(_post(cashier_client, on_account_sale, _body(on_account_sale)), 403)
    assert_error(_post(other_client, on_account_sale, _body(on_account_sale)), 404)
    assert_error(other_client.get(sale_url(on_account_sale, "sale-returns")), 404)
    too_many = assert_error(_post(manager_client, on_account_sale, _body(on_account_sale, 4)), 409)
    assert too_many["code"] == "return_exceeds_sold"
    assert too_many["lines"][0]["returnable"] == 3
    body = {**_body(on_account_sale), "items": foreign_line}
    assert assert_error(_post(manager_client, on_account_sale, body), 400)["code"] == (
        "unknown_sale_item"
    )
    account = assert_error(
        _post(manager_client, walk_in, _body(walk_in, refund_method="ACCOUNT")), 400
    )
    assert account["code"] == "account_refund_requires_customer"
    assert_error(
        _post(manager_client, on_account_sale, _body(on_account_sale), **{"Idempotency-Key": ""}),
        400,
    )
    assert not Return.objects.exists()
    on_account_sale.refresh_from_db()
    assert on_account_sale.returned_total == 0


def test_a_draft_or_cancelled_sale_takes_no_return(manager_client, draft_with_items):
    item = draft_with_items.items.first()
    body = {"items": [{"item": str(item.pk), "quantity": 1}], "reason": "x"}

    draft = assert_error(_post(manager_client, draft_with_items, body), 409)
    manager_client.post(sale_url(draft_with_items, "sale-cancel"), {}, format="json")
    cancelled = assert_error(_post(manager_client, draft_with_items, body), 409)

    assert draft["current_status"] == "DRAFT"
    assert cancelled["current_status"] == "CANCELLED"
    assert cancelled["code"] == "invalid_sale_status"


def test_a_sale_with_a_return_cannot_be_cancelled(manager_client, on_account_sale):
    _post(manager_client, on_account_sale, _body(on_account_sale))

    response = manager_client.post(
        sale_url(on_account_sale, "sale-cancel"), {"reason": "mistake"}, format="json"
    )

    assert assert_error(response, 409)["code"] == "sale_has_returns"
    on_account_sale.refresh_from_db()
    assert on_account_sale.status == SaleStatus.COMPLETED


def test_the_list_of_returns_filters_and_is_scoped(
    manager_client, other_client, on_account_sale, storefront, cashier, box, business
):
    other_customer = CustomerFactory(business=business)
    second = complete_sale(
        storefront=storefront, actor_user=cashier, lines=[(box, 1)], customer=other_customer
    )
    _post(manager_client, on_account_sale, _body(on_account_sale))
    _post(manager_client, second, _body(second))
    url = reverse("return-list")

    everything = manager_client.get(url).json()
    by_sale = manager_client.get(url, {"sale": str(on_account_sale.pk)}).json()
    by_customer = manager_client.get(url, {"customer": str(other_customer.pk)}).json()
    later = manager_client.get(url, {"created_after": "2999-01-01T00:00:00Z"}).json()

    assert everything["count"] == 2
    assert [r["sale"] for r in by_sale["results"]] == [str(on_account_sale.pk)]
    assert [r["sale"] for r in by_customer["results"]] == [str(second.pk)]
    assert later["count"] == 0
    assert other_client.get(url).json()["count"] == 0
    assert_error(manager_client.get(url, {"sale": "nope"}), 400)
    assert_error(manager_client.get(url, {"ordering": "reason"}), 400)


def test_the_list_costs_the_same_at_any_size(
    manager_client, storefront, cashier, box, django_assert_max_num_queries
):
    sales = []

    def grow(n):
        while len(sales) < n:
            sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 1)])
            sales.append(sale)
            _post(manager_client, sale, _body(sale))

    assert_flat_queries(
        django_assert_max_num_queries,
        lambda: manager_client.get(reverse("return-list"), {"page_size": 100}),
        grow,
        sizes=(3, 12),
    )


def test_the_slip_as_json_and_as_a_page(manager_client, other_client, on_account_sale):
    created = _post(manager_client, on_account_sale, _body(on_account_sale, 2)).json()
    url = reverse("return-receipt", kwargs={"pk": created["id"]})

    slip = manager_client.get(url).json()
    page = manager_client.get(url, {"format": "html"})

    assert slip["number"] == "R-000001"
    assert slip["receipt_number"] == on_account_sale.receipt_number
    assert slip["total"] == "60.00"
    assert slip["lines"][0]["name"].startswith("Doliprane 1g")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "R-000001" in html and on_account_sale.receipt_number in html
    assert "80mm" in html and "Wrong strength" in html and "60.00" in html
    assert_error(manager_client.get(url, {"format": "pdf"}), 400)
    assert_error(other_client.get(url, {"format": "html"}), 404)
    one = manager_client.get(reverse("return-detail", kwargs={"pk": created["id"]})).json()
    # Each answer signs its own `slip_url`, in the second it was made.
    assert {**one, "slip_url": None} == {**created, "slip_url": None}


def test_books_agree_after_returns_through_the_api(manager_client, on_account_sale, customer):
    _post(manager_client, on_account_sale, _body(on_account_sale, 1))
    _post(manager_client, on_account_sale, _body(on_account_sale, 2, refund_method="CASH"))

    customer.refresh_from_db()
    assert customer.outstanding_balance == 0
    assert customer.total_purchases == money("0.00")
    assert ledger_check().differences == []
    assert receivables_summary_check() == []


def test_the_debtors_report_follows_returns(manager_client, on_account_sale, customer):
    url = "/customers/api/debtors/"
    _post(manager_client, on_account_sale, _body(on_account_sale, 1))

    body = manager_client.get(url).json()

    assert body["results"][0]["amount_owed"] == "60.00"
    assert body["results"][0]["owed_0_30"] == "60.00"
    assert body["totals"]["amount_owed"] == "60.00"
    assert body["totals"]["owed_0_30"] == "60.00"

    _post(manager_client, on_account_sale, _body(on_account_sale, 2))

    body = manager_client.get(url).json()
    assert body["count"] == 0
    assert body["totals"]["amount_owed"] == "0.00"
    statement = manager_client.get(reverse("customer-ledger", kwargs={"pk": customer.pk})).json()
    rows = statement["results"] if isinstance(statement, dict) else statement
    assert [row["entry_type"] for row in rows][-2:] == ["SALE_RETURN", "SALE_RETURN"]


def test_refunds_read_in_the_order_they_are_applied(
    manager_client, cashier_client, on_account_sale, customer
):
    cashier_client.post(
        reverse("customer-record-payment", kwargs={"pk": customer.pk}),
        {"amount": "70.00", "method": "CASH"},
        format="json",
    )

    body = _post(manager_client, on_account_sale, _body(on_account_sale, 2)).json()

    assert body["refunds"] == [
        {"method": "AMOUNT_DUE", "amount": "20.00"},
        {"method": "ACCOUNT", "amount": "40.00"},
    ]
    slip = manager_client.get(reverse("return-receipt", kwargs={"pk": body["id"]})).json()
    assert [refund["method"] for refund in slip["refunds"]] == ["AMOUNT_DUE", "ACCOUNT"]


def test_a_return_taken_in_french_is_stored_in_english(manager_client, storefront, cashier, box):
    """The audit entry's stored words and amounts are English whatever the request reads;
    the reader's language applies only when the entry is shown."""
    sale = complete_sale(storefront=storefront, actor_user=cashier, lines=[(box, 40)])

    response = _post(manager_client, sale, _body(sale, 40), **{"Accept-Language": "fr"})

    assert response.status_code == 201, response.json()
    entry = AuditLog.objects.get(event_type=AuditEvent.SALE_RETURNED)
    assert ": 1,200.00 DH in cash (Wrong strength)" in entry.description, entry.description
