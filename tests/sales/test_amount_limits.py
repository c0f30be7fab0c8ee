"""Sale amounts that each fit a column but whose products or sums do not: a 400 naming the
limit, never a server error."""

from decimal import Decimal

import pytest

from pos_project.money import LARGEST_AMOUNT
from sales.models import Sale, SaleItem, SaleStatus
from tests.contracts import assert_error
from tests.sales.conftest import sale_url

LARGEST = str(LARGEST_AMOUNT)


def _refused_at_the_limit(response, field) -> None:
    body = assert_error(response, 400, "Amount too large")
    assert body["limit"] == LARGEST
    assert LARGEST in body["fields"][field][0]


def test_attack_two_units_at_the_largest_price_is_a_400(cashier_client, draft, stocked):
    medicine = stocked(LARGEST)
    response = cashier_client.post(
        sale_url(draft, "sale-items"), {"medicine": str(medicine.pk), "quantity": 2}
    )

    _refused_at_the_limit(response, "quantity")
    assert not SaleItem.objects.filter(sale=draft).exists()


def test_attack_two_lines_at_the_largest_price_overflowing_the_subtotal_is_a_400(
    cashier_client, draft, stocked
):
    first, second = stocked(LARGEST), stocked(LARGEST)
    url = sale_url(draft, "sale-items")
    assert cashier_client.post(url, {"medicine": str(first.pk), "quantity": 1}).status_code == 201

    _refused_at_the_limit(
        cashier_client.post(url, {"medicine": str(second.pk), "quantity": 1}), "quantity"
    )
    draft.refresh_from_db()
    assert draft.total_amount == LARGEST_AMOUNT


def test_attack_raising_a_line_quantity_past_the_limit_is_a_400(cashier_client, draft, stocked):
    medicine = stocked(LARGEST)
    cashier_client.post(
        sale_url(draft, "sale-items"), {"medicine": str(medicine.pk), "quantity": 1}
    )
    item_url = sale_url(draft, "sale-item-detail", item_pk=SaleItem.objects.get(sale=draft).pk)

    _refused_at_the_limit(cashier_client.patch(item_url, {"quantity": 3}), "quantity")
    assert SaleItem.objects.get(sale=draft).quantity == 1


def test_attack_cash_tenders_summing_past_the_limit_is_a_400(cashier_client, draft_with_items):
    response = cashier_client.post(
        sale_url(draft_with_items, "sale-complete"),
        {"payments": [{"method": "CASH", "amount": LARGEST}, {"method": "CASH", "amount": "1"}]},
        format="json",
    )

    _refused_at_the_limit(response, "payments")
    assert Sale.objects.get(pk=draft_with_items.pk).status == SaleStatus.DRAFT
    assert Decimal(response.json()["limit"]) == LARGEST_AMOUNT


@pytest.mark.parametrize("amount", [0.30000000000000004, "0.30000000000000004", "0.305"])
def test_an_amount_past_the_cent_says_so_whatever_its_length(
    cashier_client, draft_with_items, amount
):
    response = cashier_client.post(
        sale_url(draft_with_items, "sale-complete"),
        {"payments": [{"method": "CASH", "amount": amount}]},
        format="json",
    )

    fields = assert_error(response, 400)["fields"]
    assert fields["payments"][0]["amount"] == ['Use at most two decimal places, such as "12.50".']
    assert Sale.objects.get(pk=draft_with_items.pk).status == SaleStatus.DRAFT


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/customers/api/customers/",
            {"name": "A", "phone": "0612345678", "credit_limit": 0.1 + 0.2},
        ),
        ("/medicine/api/medicines/", {"name": "A", "prix_br": "0.30000000000000004"}),
    ],
)
def test_every_money_field_says_decimal_places_first(manager_client, url, body):
    fields = assert_error(manager_client.post(url, body, format="json"), 400)["fields"]

    field = next(name for name in ("credit_limit", "prix_br") if name in body)
    assert fields[field] == ['Use at most two decimal places, such as "12.50".']
