"""The receivables endpoints: record_payment, adjust_credit, sales, payments and ledger."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from receivables.models import CustomerLedgerEntry, CustomerPayment
from receivables.services import customer_record_payment
from tests.conftest import client_for
from tests.contracts import assert_audited, assert_error, assert_flat_queries
from tests.factories.customers import CustomerFactory
from tests.factories.sales import SaleFactory
from tests.receivables.test_receivables_service import sell_on_account


@pytest.fixture
def customer(business):
    return CustomerFactory(business=business, name="Nadia Berrada")


@pytest.fixture
def sell(storefront, cashier, customer):
    def _sell(amount, **kwargs):
        kwargs.setdefault("customer", customer)
        return sell_on_account(storefront=storefront, user=cashier, amount=amount, **kwargs)

    return _sell


def url(name, customer):
    return reverse(f"customer-{name}", kwargs={"pk": customer.pk})


def nothing_changed(customer, *, balance="0.00", entries=0):
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal(balance)
    assert CustomerLedgerEntry.objects.filter(customer=customer).count() == entries
    assert not CustomerPayment.objects.filter(customer=customer).exists()


# --- record_payment ------------------------------------------------------------------------


def test_a_cashier_records_a_payment(cashier_client, customer, sell):
    older, newer = sell("30.00"), sell("50.00")

    response = cashier_client.post(
        url("record-payment", customer),
        {"amount": "45.00", "method": "CASH", "reference": "R1", "note": "at the counter"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["amount"] == "45.00"
    assert body["method"] == "CASH"
    assert body["outstanding_balance"] == "35.00"
    assert body["allocations"] == [
        {"sale": str(older.pk), "receipt_number": older.receipt_number, "amount": "30.00"},
        {"sale": str(newer.pk), "receipt_number": newer.receipt_number, "amount": "15.00"},
    ]
    assert_audited("customer.payment_recorded", customer=customer)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0", "method": "CASH"}, "amount"),
        ({"amount": "-10.00", "method": "CASH"}, "amount"),
        ({"amount": "ten", "method": "CASH"}, "amount"),
        ({"amount": "10.005", "method": "CASH"}, "amount"),
        ({"amount": "99999999999999999", "method": "CASH"}, "amount"),
        ({"amount": "10.00", "method": "CHEQUE"}, "method"),
        ({"amount": "10.00", "method": "ON_ACCOUNT"}, "method"),
        ({"amount": "10.00"}, "method"),
        ({"method": "CASH"}, "amount"),
    ],
)
def test_bad_payments_are_a_400_naming_the_field(cashier_client, customer, sell, body, field):
    sell("50.00")

    response = cashier_client.post(url("record-payment", customer), body)

    error = assert_error(response, 400)
    assert field in error["fields"], error
    nothing_changed(customer, balance="50.00", entries=1)


def test_an_overpayment_without_the_flag_is_a_400_saying_what_is_owed(
    cashier_client, manager_client, customer, sell
):
    sell("50.00")

    response = cashier_client.post(
        url("record-payment", customer), {"amount": "80.00", "method": "CARD"}
    )

    error = assert_error(response, 400, "Payment exceeds the amount owed")
    assert error["code"] == "overpayment_not_allowed"
    assert error["outstanding_balance"] == "50.00"
    # The field the caller sent: the amount.
    assert list(error["fields"]) == ["amount"]
    nothing_changed(customer, balance="50.00", entries=1)

    # Holding the extra as credit is a manager's decision.
    response = manager_client.post(
        url("record-payment", customer),
        {"amount": "80.00", "method": "CARD", "allow_overpayment": True},
    )
    assert response.status_code == 201
    assert response.json()["outstanding_balance"] == "-30.00"


def test_a_non_object_body_is_a_400(cashier_client, customer):
    response = cashier_client.post(url("record-payment", customer), [1, 2], format="json")
    assert_error(response, 400)
    nothing_changed(customer)


def test_another_business_gets_404_and_nothing_changes(other_client, customer, sell):
    sell("50.00")

    for action, body in [
        ("record-payment", {"amount": "10.00", "method": "CASH"}),
        ("adjust-credit", {"amount": "10.00", "type": "add", "reason": "x"}),
    ]:
        assert_error(other_client.post(url(action, customer), body), 404)
    for action in ("sales", "payments", "ledger"):
        assert_error(other_client.get(url(action, customer)), 404)
    assert_error(other_client.get(url("ledger", customer), {"format": "csv"}), 404)
    nothing_changed(customer, balance="50.00", entries=1)


def test_an_idempotent_replay_records_one_payment(cashier_client, customer, sell):
    sell("50.00")
    body = {"amount": "20.00", "method": "CASH"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "pay-7f3c"}

    first = cashier_client.post(url("record-payment", customer), body, **headers)
    second = cashier_client.post(url("record-payment", customer), body, **headers)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert CustomerPayment.objects.filter(customer=customer).count() == 1
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("30.00")

    changed = cashier_client.post(
        url("record-payment", customer), {**body, "amount": "21.00"}, **headers
    )
    assert_error(changed, 422)


def test_a_refused_payment_releases_its_idempotency_key(manager_client, customer, sell):
    sell("50.00")
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-me"}
    body = {"amount": "60.00", "method": "CASH"}

    assert_error(manager_client.post(url("record-payment", customer), body, **headers), 400)
    retry = manager_client.post(
        url("record-payment", customer), {**body, "allow_overpayment": True}, **headers
    )
    assert retry.status_code == 201


@pytest.mark.parametrize(
    "extra",
    [{"customer": "00000000-0000-4000-8000-000000000000"}, {"business": "x"}, {"received_by": 1}],
)
def test_record_payment_refuses_fields_it_does_not_take(cashier_client, customer, sell, extra):
    sell("30.00")
    body = {"amount": "10.00", "method": "CASH", **extra}

    response = cashier_client.post(url("record-payment", customer), body)

    error = assert_error(response, 400)
    accepted = "Unknown field. Accepted fields: allow_overpayment, amount, method, note, reference."
    assert error["fields"] == {name: [accepted] for name in extra}
    nothing_changed(customer, balance="30.00", entries=1)


def test_adjust_credit_refuses_fields_it_does_not_take(manager_client, customer):
    body = {"amount": "5.00", "type": "add", "reason": "x", "customer": str(customer.pk)}

    error = assert_error(manager_client.post(url("adjust-credit", customer), body), 400)

    assert error["fields"] == {
        "customer": ["Unknown field. Accepted fields: amount, reason, type."]
    }
    nothing_changed(customer)


# --- adjust_credit -------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["manager_client", "owner_client"])
def test_managers_and_owners_adjust_credit(request, client_name, customer, sell):
    sale = sell("50.00")
    client = request.getfixturevalue(client_name)

    response = client.post(
        url("adjust-credit", customer),
        {"amount": "15.00", "type": "add", "reason": "Expired stock returned"},
        HTTP_IDEMPOTENCY_KEY="adj-1",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["entry_type"] == "CREDIT_ADJUSTMENT"
    assert body["amount"] == "-15.00"
    assert body["outstanding_balance"] == "35.00"
    assert "Expired stock returned" in body["description"]
    sale.refresh_from_db()
    assert sale.amount_due == Decimal("35.00")
    assert_audited("customer.credit_adjusted", customer=customer)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_an_adjustment_without_a_reason_is_recorded_as_given_without_one(
    manager_client, customer, sell, reason
):
    sell("50.00")
    body = {"amount": "15.00", "type": "add"}
    if reason is not None:
        body["reason"] = reason

    response = manager_client.post(url("adjust-credit", customer), body)

    assert response.status_code == 201, response.content
    assert response.json()["outstanding_balance"] == "35.00"
    entry = CustomerLedgerEntry.objects.get(customer=customer, entry_type="CREDIT_ADJUSTMENT")
    assert entry.description == "Credit given: no reason given"
    audited = assert_audited("customer.credit_adjusted", customer=customer)
    assert audited.description.endswith("no reason given")
    assert audited.event_data["reason"] == ""


def test_a_cashier_may_not_adjust_credit(cashier_client, customer):
    response = cashier_client.post(
        url("adjust-credit", customer), {"amount": "15.00", "type": "add", "reason": "x"}
    )
    assert_error(response, 403)
    nothing_changed(customer)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "5.00", "type": "add", "reason": "x" * 201}, "reason"),
        ({"amount": "5.00", "type": "bonus", "reason": "x"}, "type"),
        ({"amount": "0.00", "type": "add", "reason": "x"}, "amount"),
        ({"amount": "-1", "type": "add", "reason": "x"}, "amount"),
        ({"amount": "1.001", "type": "add", "reason": "x"}, "amount"),
        ({"amount": "lots", "type": "add", "reason": "x"}, "amount"),
    ],
)
def test_bad_adjustments_are_a_400_naming_the_field(manager_client, customer, body, field):
    response = manager_client.post(url("adjust-credit", customer), body)

    error = assert_error(response, 400)
    assert field in error["fields"], error
    nothing_changed(customer)


def test_deducting_more_than_the_credit_held_is_refused(manager_client, customer):
    response = manager_client.post(
        url("adjust-credit", customer), {"amount": "5.00", "type": "deduct", "reason": "x"}
    )

    error = assert_error(response, 400)
    assert error["code"] == "deduction_exceeds_credit"
    assert error["credit_held"] == "0.00"
    nothing_changed(customer)


# --- histories -----------------------------------------------------------------------------


def test_purchase_history_shows_what_is_due_and_links_to_receipts(
    cashier_client, anon_client, customer, sell, manager_actor
):
    from sales.services import sale_cancel

    unpaid = sell("40.00", completed_at=datetime(2026, 3, 1, 10, tzinfo=UTC))
    partly = sell("60.00", completed_at=datetime(2026, 3, 2, 10, tzinfo=UTC))
    cash = sell("25.00", on_account="0", completed_at=datetime(2026, 3, 3, 10, tzinfo=UTC))
    cancelled = sell("10.00", completed_at=datetime(2026, 3, 4, 10, tzinfo=UTC))
    sale_cancel(sale=cancelled, reason="Mistake", actor=manager_actor)
    cashier_client.post(url("record-payment", customer), {"amount": "70.00", "method": "CASH"})

    response = cashier_client.get(url("sales", customer))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [
        str(cancelled.pk),
        str(cash.pk),
        str(partly.pk),
        str(unpaid.pk),
    ]
    by_id = {row["id"]: row for row in rows}
    assert by_id[str(unpaid.pk)]["payment_status"] == "paid"
    assert by_id[str(partly.pk)]["payment_status"] == "partly_paid"
    assert by_id[str(partly.pk)]["amount_due"] == "30.00"
    assert by_id[str(cash.pk)]["payment_status"] == "paid"
    assert by_id[str(cancelled.pk)]["payment_status"] is None
    assert by_id[str(cancelled.pk)]["status"] == "CANCELLED"
    row = by_id[str(partly.pk)]
    assert row["receipt_number"] == partly.receipt_number
    assert row["total_amount"] == "60.00"
    assert row["url"].endswith(reverse("sale-detail", kwargs={"pk": partly.pk}))
    assert cashier_client.get(row["url"]).status_code == 200
    printable = anon_client.get(row["receipt_url"])
    assert printable.status_code == 200
    assert partly.receipt_number in printable.content.decode()

    completed = cashier_client.get(url("sales", customer), {"status": "COMPLETED"})
    assert len(completed.json()["results"]) == 3
    assert_error(cashier_client.get(url("sales", customer), {"status": "DRAFT"}), 400)


def test_purchase_history_never_lists_a_draft_and_every_row_has_a_date(
    cashier_client, customer, sell, storefront, cashier, manager_actor
):
    from sales.services import sale_cancel

    completed = sell("40.00")
    draft = {"business": storefront.business, "storefront": storefront, "created_by": cashier}
    SaleFactory(customer=customer, **draft)
    abandoned = SaleFactory(customer=customer, **draft)
    sale_cancel(sale=abandoned, reason="", actor=manager_actor)

    rows = cashier_client.get(url("sales", customer)).json()["results"]

    assert [row["id"] for row in rows] == [str(completed.pk)]
    assert all(row["date"] for row in rows)


def test_payments_list_their_allocations(cashier_client, customer, sell):
    first, second = sell("30.00"), sell("30.00")
    cashier_client.post(url("record-payment", customer), {"amount": "40.00", "method": "CASH"})
    cashier_client.post(url("record-payment", customer), {"amount": "20.00", "method": "CARD"})

    response = cashier_client.get(url("payments", customer))

    assert response.status_code == 200
    latest, earliest = response.json()["results"]
    assert latest["amount"] == "20.00"
    assert [(a["sale"], a["amount"]) for a in latest["allocations"]] == [(str(second.pk), "20.00")]
    assert [(a["sale"], a["amount"]) for a in earliest["allocations"]] == [
        (str(first.pk), "30.00"),
        (str(second.pk), "10.00"),
    ]


def test_the_ledger_runs_its_balance_in_order(cashier_client, customer, sell):
    sell("30.00")
    sell("20.00")
    cashier_client.post(url("record-payment", customer), {"amount": "45.00", "method": "CASH"})

    response = cashier_client.get(url("ledger", customer))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["sequence"], r["entry_type"], r["amount"], r["balance_after"]) for r in rows] == [
        (1, "SALE_CHARGE", "30.00", "30.00"),
        (2, "SALE_CHARGE", "20.00", "50.00"),
        (3, "PAYMENT", "-45.00", "5.00"),
    ]
    assert rows[0]["receipt_number"]


def test_the_ledger_csv_parses_back_to_the_same_figures(cashier_client, customer, sell):
    sell("30.00")
    sell("20.10")
    cashier_client.post(url("record-payment", customer), {"amount": "45.05", "method": "CASH"})
    as_json = cashier_client.get(url("ledger", customer)).json()["results"]

    response = cashier_client.get(url("ledger", customer), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark, so a spreadsheet reads UTF-8"
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [(int(r["Entry"]), Decimal(r["Amount"]), Decimal(r["Balance after"])) for r in rows] == [
        (j["sequence"], Decimal(j["amount"]), Decimal(j["balance_after"])) for j in as_json
    ]
    assert sum(Decimal(r["Amount"]) for r in rows) == Decimal(rows[-1]["Balance after"])
    assert {r["Currency"] for r in rows} == {"MAD"}
    zone = customer.business.zone
    assert [r["Date"] for r in rows] == [
        datetime.fromisoformat(j["created_at"]).astimezone(zone).date().isoformat() for j in as_json
    ]
    assert rows[0]["Type"] == "Sale charge"


def test_an_unknown_format_is_a_json_400(cashier_client, customer):
    response = cashier_client.get(url("ledger", customer), {"format": "xml"})

    error = assert_error(response, 400)
    assert response["Content-Type"].startswith("application/json")
    assert "format" in error["fields"]


def test_a_bad_date_range_in_csv_is_a_json_400(cashier_client, customer):
    response = cashier_client.get(url("ledger", customer), {"format": "csv", "since": "soon"})

    error = assert_error(response, 400)
    assert response["Content-Type"].startswith("application/json")
    assert "since" in error["fields"]
    reversed_range = cashier_client.get(
        url("ledger", customer), {"since": "2026-03-02", "until": "2026-03-01"}
    )
    assert "until" in assert_error(reversed_range, 400)["fields"]
    for params in ({"until": "9999-12-31"}, {"since": "0001-01-01"}):
        assert assert_error(cashier_client.get(url("ledger", customer), params), 400)["fields"]


def test_the_ledger_date_range_is_in_the_business_time_zone(
    cashier_client, business, customer, sell
):
    """Casablanca is UTC+1 in May 2026: 23:30 UTC on 4 May is already 5 May in the shop."""
    business.time_zone = "Africa/Casablanca"
    business.save()
    sell("10.00")
    sell("20.00")
    first, second = CustomerLedgerEntry.objects.filter(customer=customer).order_by("sequence")
    CustomerLedgerEntry.objects.filter(pk=first.pk).update(
        created_at=datetime(2026, 5, 4, 22, 30, tzinfo=UTC)  # 23:30 on 4 May locally
    )
    CustomerLedgerEntry.objects.filter(pk=second.pk).update(
        created_at=datetime(2026, 5, 4, 23, 30, tzinfo=UTC)  # 00:30 on 5 May locally
    )

    def sequences(**params):
        response = cashier_client.get(url("ledger", customer), params)
        assert response.status_code == 200, response.content
        return [row["sequence"] for row in response.json()["results"]]

    assert sequences(until="2026-05-04") == [1]
    assert sequences(since="2026-05-05") == [2]
    assert sequences(since="2026-05-04", until="2026-05-05") == [1, 2]
    assert sequences(since="2026-05-06") == []


@pytest.mark.parametrize("action", ["sales", "payments", "ledger"])
def test_history_lists_keep_a_flat_query_count(
    cashier_client, customer, sell, django_assert_max_num_queries, action, cashier_actor
):
    def grow(n):
        # Each round adds a sale, a payment settling it, and two ledger entries. Through the
        # services, not the client: a request resets the query log `assert_flat_queries`
        # reads its baseline from.
        while CustomerPayment.objects.filter(customer=customer).count() < n:
            sell("10.00")
            customer_record_payment(
                customer=customer, amount="10.00", method="CASH", actor=cashier_actor
            )

    assert_flat_queries(
        django_assert_max_num_queries,
        lambda: cashier_client.get(url(action, customer)),
        grow,
        sizes=(2, 12),
    )


def test_lists_are_paginated(cashier_client, customer, sell):
    for _ in range(3):
        sell("5.00")

    response = cashier_client.get(url("sales", customer), {"page_size": 2})

    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_a_user_of_no_role_in_this_business_cannot_read_histories(customer, other_manager):
    client = client_for(other_manager)
    assert_error(client.get(url("payments", customer)), 404)
