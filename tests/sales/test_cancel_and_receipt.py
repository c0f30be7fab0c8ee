"""Cancelling (a DRAFT freely; a COMPLETED sale by a manager, reversed everywhere) and the
receipt, as JSON and as the printable page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from medicine.models import Stock
from receivables.models import CustomerLedgerEntry, LedgerEntryType
from sales.models import SaleStatus
from tests.contracts import assert_audited, assert_error
from tests.factories.customers import CustomerFactory
from tests.factories.medicine import MedicineFactory
from tests.factories.sales import complete_sale
from tests.sales.conftest import sale_url


def _cancel(client, sale, reason=None):
    body = {} if reason is None else {"reason": reason}
    return client.post(sale_url(sale, "sale-cancel"), body, format="json")


@pytest.fixture
def on_account_sale(business, storefront, cashier, customer):
    medicine = MedicineFactory(business=business, prix_br=Decimal("30.00"))
    return complete_sale(
        storefront=storefront,
        actor_user=cashier,
        lines=[(medicine, 2)],
        customer=customer,
        on_account=True,
    )


# --- cancel -------------------------------------------------------------------------------


def test_a_cashier_cancels_a_draft_without_a_reason(cashier_client, draft_with_items):
    response = _cancel(cashier_client, draft_with_items)

    assert response.status_code == 200
    assert response.json()["status"] == "CANCELLED"
    assert response.json()["cancelled_at"]
    assert Stock.objects.filter(quantity=100).count() == 2
    assert_audited("sale.cancelled", sale_id=draft_with_items.pk)


def test_a_cashier_cannot_cancel_a_completed_sale(cashier_client, on_account_sale):
    response = _cancel(cashier_client, on_account_sale, "mistake")

    assert_error(response, 403)
    on_account_sale.refresh_from_db()
    assert on_account_sale.status == SaleStatus.COMPLETED


def test_a_completed_sale_needs_a_reason(manager_client, on_account_sale):
    for reason in (None, "", "   "):
        body = assert_error(_cancel(manager_client, on_account_sale, reason), 400)
        assert "reason" in body["fields"]
    on_account_sale.refresh_from_db()
    assert on_account_sale.status == SaleStatus.COMPLETED


def test_a_manager_reverses_a_completed_on_account_sale(
    manager_client, on_account_sale, customer, manager
):
    medicine_id = on_account_sale.items.get().medicine_id

    response = _cancel(manager_client, on_account_sale, "Returned unopened")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "CANCELLED"
    assert body["cancel_reason"] == "Returned unopened"
    assert body["receipt_number"] == "S-000001"
    assert Stock.objects.get(medicine_id=medicine_id).quantity == 100
    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("0.00")
    assert customer.total_purchases == Decimal("0.00")
    assert customer.sales_count == 0
    assert customer.last_purchase_date is None
    reversal = CustomerLedgerEntry.objects.get(entry_type=LedgerEntryType.SALE_REVERSAL)
    assert reversal.amount == Decimal("-60.00")
    entry = assert_audited("sale.cancelled", sale_id=on_account_sale.pk)
    assert entry.user_id == manager.pk
    assert entry.event_data["previous_status"] == "COMPLETED"
    assert entry.event_data["on_account_reversed"] == "60.00"
    assert entry.event_data["reason"] == "Returned unopened"


def test_an_owner_may_cancel_too(owner_client, on_account_sale):
    assert _cancel(owner_client, on_account_sale, "Wrong customer").status_code == 200


def test_a_cash_sale_reversal_leaves_the_ledger_alone(manager_client, storefront, cashier):
    sale = complete_sale(storefront=storefront, actor_user=cashier)

    assert _cancel(manager_client, sale, "Void").status_code == 200
    assert not CustomerLedgerEntry.objects.exists()


def test_statistics_fall_back_to_the_previous_purchase(
    manager_client, storefront, cashier, customer
):
    earlier = complete_sale(storefront=storefront, actor_user=cashier, customer=customer)
    later = complete_sale(storefront=storefront, actor_user=cashier, customer=customer)

    _cancel(manager_client, later, "Returned")

    customer.refresh_from_db()
    assert customer.sales_count == 1
    assert customer.total_purchases == earlier.total_amount
    assert customer.last_purchase_date == earlier.completed_at


def test_a_cancelled_sale_never_changes_again(manager_client, on_account_sale, customer):
    _cancel(manager_client, on_account_sale, "Returned")

    response = _cancel(manager_client, on_account_sale, "Again")

    body = assert_error(response, 400)
    assert body["current_status"] == "CANCELLED"
    assert body["allowed_status"] == "DRAFT or COMPLETED"
    assert CustomerLedgerEntry.objects.filter(entry_type=LedgerEntryType.SALE_REVERSAL).count() == 1
    assert Stock.objects.get().quantity == 100


def test_unknown_cancel_fields_are_refused(manager_client, draft):
    response = manager_client.post(
        sale_url(draft, "sale-cancel"), {"reason": "x", "refund": True}, format="json"
    )

    assert "refund" in assert_error(response, 400, "Invalid input")["fields"]


def test_another_business_cannot_cancel(other_client, on_account_sale):
    assert _cancel(other_client, on_account_sale, "x").status_code == 404


def test_paid_part_is_released_as_credit_when_cancelled(
    manager, manager_client, on_account_sale, customer
):
    from django.db import transaction

    from customers.locks import customer_lock
    from pos_project.actors import Actor
    from receivables.ledger import allocations_settle, ledger_post

    with transaction.atomic():
        locked = customer_lock(customer=customer)
        ledger_post(
            customer=locked,
            entry_type=LedgerEntryType.PAYMENT,
            amount=Decimal("-25.00"),
            description="Paid at the counter",
            actor=Actor.for_user(manager),
        )
        allocations_settle(customer=locked)

    _cancel(manager_client, on_account_sale, "Returned")

    customer.refresh_from_db()
    assert customer.outstanding_balance == Decimal("-25.00")
    total = sum(e.amount for e in CustomerLedgerEntry.objects.filter(customer=customer))
    assert total == customer.outstanding_balance


# --- receipt ------------------------------------------------------------------------------


def test_receipt_json_has_everything_the_slip_shows(
    cashier_client, on_account_sale, customer, cashier, business
):
    body = cashier_client.get(sale_url(on_account_sale, "sale-receipt")).json()

    assert body["receipt_number"] == "S-000001"
    assert body["business"]["name"] == business.name
    assert body["storefront"]["name"] == "Main"
    assert body["cashier"] == cashier.get_full_name()
    assert body["customer"] == {
        "id": str(customer.pk),
        "name": "Fred Amugi",
        "phone": customer.phone,
    }
    assert body["lines"][0]["quantity"] == 2
    assert body["total_amount"] == "60.00"
    assert body["payments"] == [{"method": "ON_ACCOUNT", "amount": "60.00", "reference": ""}]
    assert body["balance_after"] == "60.00"
    assert body["currency_symbol"] == "DH"
    # Casablanca is UTC+1 outside Ramadan; the receipt shows the shop's clock.
    assert body["date"].endswith(("+01:00", "+00:00"))
    assert body["time_zone"] == "Africa/Casablanca"


def test_receipt_date_is_in_the_business_time_zone(cashier_client, storefront, cashier, business):
    business.time_zone = "Asia/Tokyo"
    business.save()
    sale = complete_sale(storefront=storefront, actor_user=cashier)

    body = cashier_client.get(sale_url(sale, "sale-receipt")).json()

    assert body["date"].endswith("+09:00")


def test_receipt_html_is_a_printable_80mm_page(cashier_client, on_account_sale, cashier):
    response = cashier_client.get(sale_url(on_account_sale, "sale-receipt") + "?format=html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "80mm" in page
    assert "S-000001" in page
    assert "Fred Amugi" in page
    assert "60.00 DH" in page
    assert cashier.get_full_name() in page
    assert "Balance owed after this sale" in page
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_a_sale_on_account_prints_charged_to_account_not_paid(cashier_client, on_account_sale):
    page = cashier_client.get(
        sale_url(on_account_sale, "sale-receipt") + "?format=html"
    ).content.decode()

    assert "Charged to account" in page
    assert "Still due on this sale" in page
    # Nothing was received: no "Paid 60.00 DH" that reads as cash taken.
    assert "<td>Paid</td>" not in page and "<td>Received</td>" not in page
    moment = timezone.localtime(on_account_sale.completed_at, on_account_sale.business.zone)
    assert date_format(moment, "DATETIME_FORMAT") in page
    assert moment.strftime("%H:%M") in page and moment.strftime("%Y-%m-%d") not in page


def test_the_back_office_receipt_has_a_way_back(manager_admin, on_account_sale):
    receipt = reverse("admin:sales_sale_receipt", args=[on_account_sale.pk])
    sale_page = reverse("admin:sales_sale_change", args=[on_account_sale.pk])
    profile = reverse("admin:customers_customer_change", args=[on_account_sale.customer_id])

    assert f'href="{sale_page}" id="receipt-back"' in manager_admin.get(receipt).content.decode()
    from_profile = manager_admin.get(receipt, {"next": profile}).content.decode()
    assert f'href="{profile}" id="receipt-back"' in from_profile
    off_site = manager_admin.get(receipt, {"next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in off_site


def test_receipt_html_shows_discounts_and_change(cashier_client, draft, medicine):
    cashier_client.post(
        sale_url(draft, "sale-items"),
        {"medicine": str(medicine.pk), "quantity": 2, "discount": "0.80"},
    )
    cashier_client.post(
        sale_url(draft, "sale-complete"), {"payments": [{"method": "CASH", "amount": "60.00"}]}
    )

    page = cashier_client.get(sale_url(draft, "sale-receipt") + "?format=html").content.decode()

    assert "-0.80 DH" in page
    assert "50.00 DH" in page
    assert "10.00 DH" in page  # change


def test_receipt_of_a_cancelled_sale_says_so(manager_client, on_account_sale):
    _cancel(manager_client, on_account_sale, "Returned")

    page = manager_client.get(sale_url(on_account_sale, "sale-receipt") + "?format=html")

    assert "CANCELLED" in page.content.decode()


def test_a_draft_has_no_receipt(cashier_client, draft):
    for suffix in ("", "?format=html"):
        response = cashier_client.get(sale_url(draft, "sale-receipt") + suffix)
        body = assert_error(response, 400)
        assert response["Content-Type"].startswith("application/json")
        assert body["current_status"] == "DRAFT"


@pytest.mark.parametrize("fmt", ["pdf", "xml", "api", "csv", "%00"])
def test_an_unknown_format_is_a_json_4xx(cashier_client, on_account_sale, fmt):
    response = cashier_client.get(sale_url(on_account_sale, "sale-receipt") + f"?format={fmt}")

    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]


def test_html_errors_are_json(anon_client, other_client, on_account_sale):
    url = sale_url(on_account_sale, "sale-receipt") + "?format=html"

    for client, status in ((anon_client, 401), (other_client, 404)):
        response = client.get(url)
        assert_error(response, status)
        assert response["Content-Type"].startswith("application/json")


def test_receipt_of_a_walk_in_sale(cashier_client, storefront, cashier):
    sale = complete_sale(storefront=storefront, actor_user=cashier)

    body = cashier_client.get(sale_url(sale, "sale-receipt")).json()

    assert body["customer"] == {"id": None, "name": "Walk-in Customer", "phone": ""}
    assert body["balance_after"] is None


def test_receipt_shows_the_customer_balance_after_the_sale_not_today(
    manager, manager_client, business, storefront
):
    customer = CustomerFactory(business=business, credit_limit=None)
    first = complete_sale(
        storefront=storefront, actor_user=manager, customer=customer, on_account=True
    )
    complete_sale(storefront=storefront, actor_user=manager, customer=customer, on_account=True)

    body = manager_client.get(sale_url(first, "sale-receipt")).json()

    assert body["balance_after"] == "25.40"


def test_an_abandoned_draft_has_no_receipt(cashier_client, draft_with_items):
    _cancel(cashier_client, draft_with_items)

    body = assert_error(cashier_client.get(sale_url(draft_with_items, "sale-receipt")), 400)

    assert body["current_status"] == "CANCELLED"
    assert body["allowed_status"] == "COMPLETED"
