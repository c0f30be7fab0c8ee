"""Amounts that each pass validation but whose sums would overflow a money column: every
one is a 400 naming the limit, and nothing changes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pos_project.money import LARGEST_AMOUNT
from receivables.models import CustomerLedgerEntry, ReceivablesSummary
from tests.contracts import assert_error
from tests.factories.customers import CustomerFactory

LARGEST = str(LARGEST_AMOUNT)


def _adjust(client, customer, amount):
    return client.post(
        reverse("customer-adjust-credit", kwargs={"pk": customer.pk}),
        {"amount": amount, "type": "add", "reason": "goodwill"},
        format="json",
    )


def _overpay(client, customer, amount):
    return client.post(
        reverse("customer-record-payment", kwargs={"pk": customer.pk}),
        {"amount": amount, "method": "CASH", "allow_overpayment": True},
        format="json",
    )


def _refused_at_the_limit(response) -> None:
    body = assert_error(response, 400, "Amount too large")
    assert body["code"] == "amount_too_large"
    assert body["limit"] == LARGEST
    assert LARGEST in body["message"]


@pytest.mark.parametrize("send", [_adjust, _overpay], ids=["adjust_credit", "record_payment"])
def test_attack_a_second_largest_amount_overflowing_the_balance_is_a_400(
    manager_client, business, send
):
    customer = CustomerFactory(business=business)
    assert send(manager_client, customer, LARGEST).status_code == 201

    _refused_at_the_limit(send(manager_client, customer, "0.01"))

    customer.refresh_from_db()
    assert customer.outstanding_balance == -LARGEST_AMOUNT
    assert CustomerLedgerEntry.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize("send", [_adjust, _overpay], ids=["adjust_credit", "record_payment"])
def test_attack_largest_amounts_on_two_customers_overflowing_the_summary_is_a_400(
    manager_client, business, send
):
    first, second = CustomerFactory(business=business), CustomerFactory(business=business)
    assert send(manager_client, first, LARGEST).status_code == 201

    _refused_at_the_limit(send(manager_client, second, LARGEST))

    second.refresh_from_db()
    assert second.outstanding_balance == 0
    assert not CustomerLedgerEntry.objects.filter(customer=second).exists()
    assert ReceivablesSummary.objects.get(business=business).amount_owed == -LARGEST_AMOUNT


def test_available_credit_past_the_column_size_is_still_shown(manager_client, business):
    customer = CustomerFactory(business=business, credit_limit=LARGEST_AMOUNT)
    assert _adjust(manager_client, customer, LARGEST).status_code == 201

    response = manager_client.get(reverse("customer-detail", kwargs={"pk": customer.pk}))

    assert response.status_code == 200
    assert Decimal(response.json()["available_credit"]) == 2 * LARGEST_AMOUNT
