"""Completing a sale: split tender, change, on account within the credit limit, stock,
receipt numbers, customer statistics and the audit entry, all or nothing.

The rules run through both ways of ringing a sale up (the `flow` fixture: the draft flow and
the one-request checkout), which share the services that decide them."""

from decimal import Decimal

import pytest
from django.db import transaction

from audit.models import AuditLog
from customers.locks import customer_lock
from medicine.models import Stock
from pos_project.actors import Actor
from receivables.ledger import ledger_post
from receivables.models import CustomerLedgerEntry, LedgerEntryType
from sales.models import Payment, ReceiptSequence, Sale, SaleStatus
from tests.contracts import assert_audited, assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.sales import SaleFactory, complete_sale
from tests.sales.conftest import sale_url


def complete_through_api(client, sale, *payments, **extra):
    body = {
        "payments": [{"method": method, "amount": amount} for method, amount in payments],
        **extra,
    }
    return client.post(sale_url(sale, "sale-complete"), body, format="json")


def assign_customer(client, sale, customer):
    response = client.post(sale_url(sale, "sale-update-customer"), {"customer": str(customer.pk)})
    assert response.status_code == 200


def _nothing_changed(sale):
    sale.refresh_from_db()
    assert sale.status == SaleStatus.DRAFT
    assert sale.receipt_number is None
    assert not Payment.objects.filter(sale=sale).exists()
    assert not AuditLog.objects.filter(event_type="sale.completed").exists()
    assert not CustomerLedgerEntry.objects.exists()


# --- payments (both flows: tests.sales.flows) ---------------------------------------------


def test_exact_cash_completes(cashier_client, flow, cart):
    response = flow.checkout(cashier_client, cart, ("CASH", "60.80"))

    assert response.status_code == flow.completed_status
    body = response.json()
    assert body["status"] == "COMPLETED"
    assert body["receipt_number"] == "S-000001"
    assert body["total_amount"] == "60.80"
    assert body["amount_paid"] == "60.80"
    assert body["change_due"] == "0.00"
    assert body["completed_at"]
    assert [(p["method"], p["amount"]) for p in body["payments"]] == [("CASH", "60.80")]
    assert [(i["quantity"], i["line_total"]) for i in body["items"]] == [
        (2, "50.80"),
        (1, "10.00"),
    ]


def test_cash_may_exceed_the_total_and_the_change_is_returned(cashier_client, flow, cart):
    body = flow.checkout(cashier_client, cart, ("CASH", "100.00")).json()

    assert body["amount_paid"] == "100.00"
    assert body["change_due"] == "39.20"


def test_split_tender_with_change_only_from_cash(cashier_client, flow, cart):
    body = flow.checkout(cashier_client, cart, ("CARD", "40.00"), ("CASH", "50.00")).json()

    assert body["status"] == "COMPLETED"
    assert body["amount_paid"] == "90.00"
    assert body["change_due"] == "29.20"
    assert len(body["payments"]) == 2


@pytest.mark.parametrize("method", ["CARD", "MOBILE_MONEY"])
def test_non_cash_may_not_exceed_the_total(cashier_client, flow, cart, method):
    response = flow.checkout(cashier_client, cart, (method, "60.81"))

    body = assert_error(response, 400, "Non-cash payments exceed the total")
    assert body["code"] == "non_cash_overpayment"
    flow.untouched()


def test_non_cash_parts_together_may_not_exceed_the_total(cashier_client, flow, cart):
    response = flow.checkout(cashier_client, cart, ("CARD", "40.00"), ("MOBILE_MONEY", "30.00"))

    assert_error(response, 400, "Non-cash payments exceed the total")
    flow.untouched()


def test_payments_must_cover_the_total(cashier_client, flow, cart):
    response = flow.checkout(cashier_client, cart, ("CASH", "20.00"), ("CARD", "40.00"))

    body = assert_error(response, 400, "Payments do not cover the total")
    assert body["remaining"] == "0.80"
    flow.untouched()


@pytest.mark.parametrize(
    "payments",
    [
        [{"method": "CASH", "amount": "0.00"}],
        [{"method": "CASH", "amount": "-5.00"}],
        [{"method": "CASH", "amount": "60.801"}],
        [{"method": "CASH", "amount": "abc"}],
        [{"method": "CHEQUE", "amount": "60.80"}],
        [{"method": "CASH"}],
        [{"amount": "60.80"}],
        [{"method": "CASH", "amount": "60.80", "tip": "1"}],
        "CASH",
        [],
    ],
)
def test_bad_payments_are_400_and_change_nothing(cashier_client, flow, cart, payments):
    # Sent as the body's payments, past the helper's well-formed tuples.
    response = flow.checkout(cashier_client, cart, payments=payments)

    assert_error(response, 400)
    flow.untouched()


def test_unknown_body_fields_are_refused(cashier_client, flow, cart):
    response = flow.checkout(cashier_client, cart, ("CASH", "60.80"), tip="5")

    body = assert_error(response, 400, "Invalid input")
    assert "tip" in body["fields"]
    flow.untouched()


def test_an_empty_sale_cannot_be_completed(cashier_client, flow):
    response = flow.checkout(cashier_client, [], ("CASH", "10.00"))

    body = assert_error(response, 400, "Sale is empty")
    assert body["code"] == "empty_sale"
    flow.untouched()


# --- on account -----------------------------------------------------------------------------


def test_on_account_needs_a_customer(cashier_client, flow, cart):
    response = flow.checkout(cashier_client, cart, ("ON_ACCOUNT", "60.80"))

    body = assert_error(response, 400, "Customer required for on-account payment")
    assert body["code"] == "on_account_requires_customer"
    flow.untouched()


def test_on_account_needs_an_active_customer(cashier_client, draft_with_items, customer):
    # Deactivated after it was put on the DRAFT: only the draft flow can get here (a
    # deactivated customer cannot be put on a sale, tests/sales/test_one_request_checkout.py).
    assign_customer(cashier_client, draft_with_items, customer)
    customer.is_active = False
    customer.save()

    response = complete_through_api(cashier_client, draft_with_items, ("ON_ACCOUNT", "60.80"))

    assert_error(response, 400, "Customer is deactivated")
    _nothing_changed(draft_with_items)


def test_on_account_charges_the_customer_ledger(cashier_client, flow, cart, customer):
    body = flow.checkout(
        cashier_client, cart, ("CASH", "20.00"), ("ON_ACCOUNT", "40.80"), customer=customer
    ).json()

    assert body["status"] == "COMPLETED"
    assert body["amount_paid"] == "60.80"
    assert body["on_account_amount"] == "40.80"
    assert body["amount_due"] == "40.80"
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("40.80")
    entry = CustomerLedgerEntry.objects.get()
    assert entry.entry_type == LedgerEntryType.SALE_CHARGE
    assert entry.amount == Decimal("40.80")
    assert str(entry.sale_id) == body["id"]


def test_on_account_within_the_limit_counting_what_is_owed(cashier_client, flow, cart, business):
    owing = CustomerFactory(
        business=business, credit_limit=Decimal("100.00"), outstanding_balance=Decimal("39.20")
    )

    response = flow.checkout(cashier_client, cart, ("ON_ACCOUNT", "60.80"), customer=owing)

    assert response.status_code == flow.completed_status
    owing.refresh_from_db()
    assert owing.outstanding_balance == Decimal("100.00")


def test_over_the_limit_is_refused_with_the_available_credit(cashier_client, flow, cart, business):
    owing = CustomerFactory(
        business=business, credit_limit=Decimal("100.00"), outstanding_balance=Decimal("50.00")
    )

    response = flow.checkout(cashier_client, cart, ("ON_ACCOUNT", "60.80"), customer=owing)

    body = assert_error(response, 400, "Credit limit exceeded")
    assert body["code"] == "credit_limit_exceeded"
    assert body["available_credit"] == "50.00"
    assert body["credit_limit"] == "100.00"
    assert body["requested"] == "60.80"
    owing.refresh_from_db()
    assert owing.outstanding_balance == Decimal("50.00")
    flow.untouched()


def test_a_zero_limit_means_no_credit(cashier_client, flow, cart, business):
    none_allowed = CustomerFactory(business=business, credit_limit=Decimal("0.00"))

    response = flow.checkout(
        cashier_client, cart, ("ON_ACCOUNT", "0.01"), ("CASH", "61"), customer=none_allowed
    )

    assert assert_error(response, 400, "Credit limit exceeded")["available_credit"] == "0.00"
    flow.untouched()


def test_no_limit_means_any_amount(cashier_client, flow, cart, business):
    trusted = CustomerFactory(business=business, credit_limit=None)

    response = flow.checkout(cashier_client, cart, ("ON_ACCOUNT", "60.80"), customer=trusted)

    assert response.status_code == flow.completed_status


def test_a_manager_may_override_the_limit_and_it_is_audited(manager_client, flow, cart, business):
    owing = CustomerFactory(
        business=business, credit_limit=Decimal("100.00"), outstanding_balance=Decimal("50.00")
    )

    response = flow.checkout(
        manager_client, cart, ("ON_ACCOUNT", "60.80"), customer=owing, override_credit_limit=True
    )

    assert response.status_code == flow.completed_status
    owing.refresh_from_db()
    assert owing.outstanding_balance == Decimal("110.80")
    entry = assert_audited("sale.completed", sale_id=response.json()["id"])
    assert entry.event_data["credit_limit_overridden"] is True
    assert entry.event_data["over_limit_by"] == "10.80"
    assert "credit limit overridden" in entry.description


def test_a_cashier_sending_the_override_is_403(cashier_client, flow, cart, customer):
    response = flow.checkout(
        cashier_client, cart, ("ON_ACCOUNT", "60.80"), customer=customer, override_credit_limit=True
    )

    assert assert_error(response, 403)["code"] == "override_not_allowed"
    flow.untouched()


def test_credit_held_for_the_customer_settles_the_new_charge(
    manager, cashier_client, flow, cart, customer
):
    with transaction.atomic():
        locked = customer_lock(customer=customer)
        ledger_post(
            customer=locked,
            entry_type=LedgerEntryType.CREDIT_ADJUSTMENT,
            amount=Decimal("-20.00"),
            description="Goodwill",
            actor=Actor.for_user(manager),
        )

    body = flow.checkout(cashier_client, cart, ("ON_ACCOUNT", "60.80"), customer=customer).json()

    assert body["amount_due"] == "40.80"
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("40.80")


# --- stock, receipts, statistics, audit ---------------------------------------------------


def test_stock_is_decremented(cashier_client, flow, cart):
    flow.checkout(cashier_client, cart, ("CASH", "60.80"))

    for medicine, quantity in cart:
        assert Stock.objects.get(medicine=medicine).quantity == 100 - quantity


def test_every_shortage_is_reported_together_and_nothing_changes(cashier_client, flow, stocked):
    short_a, short_b, fine = stocked("10.00", stock=1), stocked("12.00", stock=0), stocked("5.00")

    response = flow.checkout(
        cashier_client, [(short_a, 3), (short_b, 2), (fine, 1)], ("CASH", "59.00")
    )

    body = assert_error(response, 409, "Insufficient stock")
    assert body["code"] == "insufficient_stock"
    assert {s["medicine"] for s in body["shortages"]} == {str(short_a.pk), str(short_b.pk)}
    assert Stock.objects.get(medicine=fine).quantity == 100
    assert Stock.objects.get(medicine=short_a).quantity == 1
    flow.untouched()
    assert not ReceiptSequence.objects.filter(last_number__gt=0).exists()


def test_receipt_numbers_are_sequential_and_per_business(
    storefront, cashier, other_storefront, other_manager
):
    numbers = [
        complete_sale(storefront=storefront, actor_user=cashier).receipt_number for _ in "abc"
    ]
    elsewhere = complete_sale(storefront=other_storefront, actor_user=other_manager)

    assert numbers == ["S-000001", "S-000002", "S-000003"]
    assert elsewhere.receipt_number == "S-000001"


def test_a_failed_completion_does_not_use_up_a_receipt_number(
    cashier_client, storefront, cashier, draft_with_items
):
    complete_sale(storefront=storefront, actor_user=cashier)
    complete_through_api(cashier_client, draft_with_items, ("CASH", "1.00"))

    assert (
        complete_through_api(cashier_client, draft_with_items, ("CASH", "60.80")).json()[
            "receipt_number"
        ]
        == "S-000002"
    )


def test_customer_statistics_are_updated(cashier_client, flow, cart, customer):
    body = flow.checkout(cashier_client, cart, ("CARD", "60.80"), customer=customer).json()

    customer.refresh_from_db()
    sale = Sale.objects.get(pk=body["id"])
    assert customer.total_purchases == Decimal("60.80")
    assert customer.sales_count == 1
    assert customer.last_purchase_date == sale.completed_at
    assert customer.outstanding_balance == Decimal("0.00")


def test_completion_is_audited(cashier_client, flow, cart, customer, cashier):
    body = flow.checkout(
        cashier_client, cart, ("CASH", "30.00"), ("ON_ACCOUNT", "30.80"), customer=customer
    ).json()

    entry = assert_audited("sale.completed", sale_id=body["id"])
    assert entry.user_id == cashier.pk
    assert entry.customer_id == customer.pk
    assert entry.event_data["receipt_number"] == "S-000001"
    assert entry.event_data["total_amount"] == "60.80"
    assert entry.event_data["on_account_amount"] == "30.80"
    assert entry.event_data["changes"]["outstanding_balance"]["new"] == "30.80"
    assert entry.event_data["payments"] == [
        {"method": "CASH", "amount": "30.00"},
        {"method": "ON_ACCOUNT", "amount": "30.80"},
    ]


@pytest.mark.parametrize("status", [SaleStatus.COMPLETED, SaleStatus.CANCELLED])
def test_only_a_draft_can_be_completed(cashier_client, business, storefront, status):
    sale = SaleFactory(business=business, storefront=storefront, status=status)

    body = assert_error(complete_through_api(cashier_client, sale, ("CASH", "1.00")), 400)

    assert body["current_status"] == status
    assert body["allowed_status"] == "DRAFT"


def test_the_same_checkout_again_without_a_key_answers_the_completed_sale(
    cashier_client, draft_with_items, customer
):
    assign_customer(cashier_client, draft_with_items, customer)
    payments = (("CASH", "30.00"), ("ON_ACCOUNT", "30.80"))
    first = complete_through_api(cashier_client, draft_with_items, *payments)

    # The same payments, in another order: the same checkout.
    again = complete_through_api(cashier_client, draft_with_items, *reversed(payments))

    assert first.status_code == again.status_code == 200
    # Each answer signs its own receipt link, stamped with the second it was made.
    first_body, again_body = first.json(), again.json()
    assert first_body.pop("receipt_url") and again_body.pop("receipt_url")
    assert again_body == first_body
    assert Payment.objects.count() == 2
    assert CustomerLedgerEntry.objects.count() == 1
    assert AuditLog.objects.filter(event_type="sale.completed").count() == 1
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("30.80")
    assert customer.sales_count == 1


def test_completing_again_with_other_payments_is_refused(cashier_client, draft_with_items):
    complete_through_api(cashier_client, draft_with_items, ("CASH", "60.80"))

    response = complete_through_api(cashier_client, draft_with_items, ("CARD", "60.80"))

    assert assert_error(response, 400)["current_status"] == "COMPLETED"
    assert Payment.objects.count() == 1


def test_another_business_cannot_complete(other_client, draft_with_items):
    assert (
        complete_through_api(other_client, draft_with_items, ("CASH", "60.80")).status_code == 404
    )
    _nothing_changed(draft_with_items)


# --- the sale's customer changing between its read and the sale's lock ---------------------


def _customer_changes_before_the_lock(monkeypatch, to, *, times):
    """Make the sale's customer `to` just before the sale's lock, the first `times` times:
    what a concurrent update_customer committing at that moment does."""
    from sales.services import customer_then_sale

    real, changed = customer_then_sale.sale_lock, []

    def sale_lock(sale):
        if len(changed) < times:
            changed.append(Sale.objects.filter(pk=sale.pk).update(customer=to))
        return real(sale)

    monkeypatch.setattr(customer_then_sale, "sale_lock", sale_lock)
    return changed


def test_a_customer_changed_before_the_lock_is_locked_again_and_charged(
    monkeypatch, cashier_client, draft_with_items, business
):
    first = CustomerFactory(business=business, credit_limit=None)
    second = CustomerFactory(business=business, credit_limit=None)
    assign_customer(cashier_client, draft_with_items, first)
    changed = _customer_changes_before_the_lock(monkeypatch, second, times=1)

    response = complete_through_api(cashier_client, draft_with_items, ("ON_ACCOUNT", "60.80"))

    assert response.status_code == 200, response.json()
    assert changed == [1]
    # The first attempt's block rolled back (its change of customer with it); the second
    # found the sale's customer as it stands, and charged it.
    draft_with_items.refresh_from_db()
    assert draft_with_items.customer_id == first.pk
    assert CustomerLedgerEntry.objects.get(sale=draft_with_items).customer_id == first.pk


def test_a_customer_that_keeps_changing_is_a_409_and_changes_nothing(
    monkeypatch, cashier_client, draft_with_items, business
):
    first = CustomerFactory(business=business, credit_limit=None)
    second = CustomerFactory(business=business, credit_limit=None)
    assign_customer(cashier_client, draft_with_items, first)
    _customer_changes_before_the_lock(monkeypatch, second, times=2)

    response = complete_through_api(cashier_client, draft_with_items, ("ON_ACCOUNT", "60.80"))

    assert assert_error(response, 409)["code"] == "sale_changed"
    _nothing_changed(draft_with_items)
