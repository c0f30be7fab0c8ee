"""The return slip: one set of facts, shown as JSON to the POS and as a printable page that
looks like the sale's receipt and names it."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from customers.phones import display_phone
from medicine.sold_lots import SoldLot, returned_lots_prefetch, sold_lot_words, sold_lots
from pos_project.actors import display_name
from pos_project.money import format_money
from pos_project.printed_pages import printed_page
from sales.models import WALK_IN_CUSTOMER, Return, ReturnItem
from sales.services.return_amounts import refund_way, return_refund_words


def return_lines_prefetch() -> tuple[Prefetch, Prefetch]:
    """Returns' lines with their sale lines, and the lots each line went back into: two
    statements for any number of returns and lines."""
    return (
        Prefetch("items", queryset=ReturnItem.objects.select_related("sale_item")),
        returned_lots_prefetch("items__lots"),
    )


def return_receipt_data(sale_return: Return) -> dict:
    """The slip of a return, amounts as Decimals, each line with the lots its units went
    back into (or, kept off the shelf, were sold from). Reads its lines, their lots and its
    refunds (prefetched by the caller, or three queries)."""
    prefetch_related_objects([sale_return], *return_lines_prefetch())
    sale = sale_return.sale
    business = sale.business
    customer = sale.customer
    return {
        "sale_return": sale_return.pk,
        "number": sale_return.number,
        "sale": sale.pk,
        "receipt_number": sale.receipt_number,
        "business": {"id": business.pk, "name": business.name},
        "storefront": {
            "id": sale.storefront.pk,
            "name": sale.storefront.name,
            "address": sale.storefront.address,
        },
        "date": timezone.localtime(sale_return.created_at, business.zone),
        "sale_date": timezone.localtime(sale.completed_at, business.zone),
        "time_zone": business.time_zone,
        "taken_by": display_name(sale_return.created_by),
        "customer": {
            "id": customer.pk if customer else None,
            "name": customer.name if customer else WALK_IN_CUSTOMER,
            "phone": (customer.phone or "") if customer else "",
        },
        "reason": sale_return.reason,
        "lines": [
            {
                "sale_item": line.sale_item_id,
                "medicine": line.sale_item.medicine_id,
                "name": line.sale_item.medicine_name,
                "quantity": line.quantity,
                "amount": line.amount,
                "restocked": line.restocked,
                "lots": [asdict(lot) for lot in sold_lots(line)],
            }
            for line in sale_return.items.all()
        ],
        "total": sale_return.total,
        "refunds": [
            {"method": refund.method, "amount": refund.amount}
            for refund in sale_return.refunds.all()
        ],
        "currency": business.currency_code,
        "currency_symbol": business.currency_symbol,
    }


@printed_page
def return_receipt_html(sale_return: Return) -> str:
    """The slip as a self-contained page, 80 mm wide, in the look of the sale's receipt."""
    data = return_receipt_data(sale_return)
    symbol = data["currency_symbol"]
    sale = sale_return.sale
    business = sale.business
    context = {
        **data,
        "lines": [
            {
                **line,
                "amount_text": format_money(line["amount"], symbol),
                "lot_words": sold_lot_words(
                    [SoldLot(**lot) for lot in line["lots"]], line["quantity"]
                ),
            }
            for line in data["lines"]
        ],
        "refunds": [
            {
                **refund,
                "label": _first_up(refund_way(sale, refund["method"])),
                "amount_text": format_money(refund["amount"], symbol),
            }
            for refund in data["refunds"]
        ],
        "total_text": format_money(data["total"], symbol),
        # The words of the back office's message and the audit entry.
        "refund_summary": return_refund_words(sale_return),
        # Formatted here: the template's date filter would convert back to the server's zone.
        "date_text": date_format(data["date"], "DATETIME_FORMAT"),
        "sale_date_text": date_format(data["sale_date"], "DATETIME_FORMAT"),
        "phone_text": display_phone(data["customer"]["phone"], region=business.default_region),
    }
    return render_to_string("sales/return_receipt.html", context)


def _first_up(text: str) -> str:
    return text[:1].upper() + text[1:]
