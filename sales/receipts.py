"""The receipt of a sale: one set of facts, shown as JSON to the POS and as a printable page.

The API's receipt action and the admin's receipt link both read `receipt_data`, so the
printed slip and the JSON can never disagree.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from customers.phones import display_phone
from medicine.sold_lots import SoldLot, sold_lot_words, sold_lots, sold_lots_prefetch
from pos_project.actors import display_name
from pos_project.errors import Invalid
from pos_project.money import format_money
from pos_project.printed_pages import printed_page
from receivables.models import CustomerLedgerEntry, LedgerEntryType
from sales.errors import ErrorCode
from sales.models import WALK_IN_CUSTOMER, Payment, PaymentMethod, Sale, SaleStatus


def receipt_data(sale: Sale) -> dict:
    """The receipt of a completed (or cancelled) sale, amounts as Decimals, each line with
    the lots it took (read in one statement, with the lines unless they are prefetched)."""
    # A receipt exists once a sale was completed (it keeps it if cancelled later); a draft,
    # or a draft that was abandoned, was never paid.
    if sale.receipt_number is None:
        raise Invalid(
            "Cannot print a receipt for a sale that is not in COMPLETED status",
            gettext("This sale was never paid. Complete the sale first, then print its receipt."),
            code=ErrorCode.INVALID_SALE_STATUS,
            current_status=sale.status,
            allowed_status=SaleStatus.COMPLETED,
        )
    business = sale.business
    moment = sale.completed_at or sale.created_at
    balance_after = None
    if sale.on_account_amount > 0 and sale.customer_id:
        balance_after = (
            CustomerLedgerEntry.objects.filter(sale=sale, entry_type=LedgerEntryType.SALE_CHARGE)
            .values_list("balance_after", flat=True)
            .first()
        )
    customer = sale.customer
    prefetch_related_objects([sale], "items", sold_lots_prefetch("items__lots"))
    return {
        "sale": sale.pk,
        "receipt_number": sale.receipt_number,
        "status": sale.status,
        "type": sale.type,
        "business": {"id": business.pk, "name": business.name},
        "storefront": {
            "id": sale.storefront.pk,
            "name": sale.storefront.name,
            "address": sale.storefront.address,
        },
        "date": timezone.localtime(moment, business.zone),
        "time_zone": business.time_zone,
        "cashier": display_name(sale.created_by),
        "customer": {
            "id": customer.pk if customer else None,
            "name": customer.name if customer else WALK_IN_CUSTOMER,
            "phone": (customer.phone or "") if customer else "",
        },
        "lines": [
            {
                "medicine": item.medicine_id,
                "name": item.medicine_name,
                "quantity": item.quantity,
                "unit_price": item.unit_price,
                "discount": item.discount,
                "line_total": item.line_total,
                "returned_quantity": item.returned_quantity,
                "lots": [asdict(lot) for lot in sold_lots(item)],
            }
            for item in sale.items.all()
        ],
        "subtotal": sale.subtotal,
        "discount_total": sale.discount_total,
        "total_amount": sale.total_amount,
        "payments": [
            {"method": payment.method, "amount": payment.amount, "reference": payment.reference}
            for payment in sale.payments.all()
        ],
        "amount_paid": sale.amount_paid,
        "change_due": sale.change_due,
        "on_account_amount": sale.on_account_amount,
        "returned_total": sale.returned_total,
        "balance_after": balance_after,
        "currency": business.currency_code,
        "currency_symbol": business.currency_symbol,
        "cancelled_at": (
            timezone.localtime(sale.cancelled_at, business.zone) if sale.cancelled_at else None
        ),
        "cancel_reason": sale.cancel_reason,
    }


@printed_page
def receipt_html(sale: Sale, *, back_url: str | None = None) -> str:
    """The receipt as a self-contained page, 80 mm wide, for the till's printer.

    `back_url`: where the back office came from, linked above the slip (not printed).
    """
    data = receipt_data(sale)
    symbol = data["currency_symbol"]
    method_labels = dict(Payment._meta.get_field("method").choices)

    def money(amount):
        return format_money(amount, symbol)

    context = {
        **data,
        "lines": [
            {
                **line,
                "unit_price_text": money(line["unit_price"]),
                "gross_text": money(line["unit_price"] * line["quantity"]),
                "discount_text": money(line["discount"]) if line["discount"] else "",
                "line_total_text": money(line["line_total"]),
                "lot_words": sold_lot_words(
                    [SoldLot(**lot) for lot in line["lots"]], line["quantity"]
                ),
            }
            for line in data["lines"]
        ],
        # What was tendered, by method; the on-account part was not received but charged.
        "payments": [
            {
                **payment,
                "label": method_labels.get(payment["method"], payment["method"]),
                "amount_text": money(payment["amount"]),
            }
            for payment in data["payments"]
            if payment["method"] != PaymentMethod.ON_ACCOUNT
        ],
        "received_text": money(data["amount_paid"] - data["on_account_amount"]),
        "on_account_text": money(data["on_account_amount"]) if data["on_account_amount"] else "",
        "still_due_text": money(sale.amount_due) if data["on_account_amount"] else "",
        "phone_text": display_phone(data["customer"]["phone"], region=sale.business.default_region),
        "back_url": back_url,
        "subtotal_text": money(data["subtotal"]),
        "discount_total_text": money(data["discount_total"]),
        "total_text": money(data["total_amount"]),
        "paid_text": money(data["amount_paid"]),
        "change_text": money(data["change_due"]),
        "returned_text": money(data["returned_total"]) if data["returned_total"] else "",
        "balance_after_text": (
            money(data["balance_after"]) if data["balance_after"] is not None else ""
        ),
        # Formatted here, in the shop's zone and the back office's one format: the
        # template's date filter would convert back to the server's zone.
        "date_text": date_format(data["date"], "DATETIME_FORMAT"),
        "is_cancelled": data["status"] == SaleStatus.CANCELLED,
    }
    return render_to_string("sales/receipt.html", context)
