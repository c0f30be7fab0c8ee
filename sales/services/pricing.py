"""Prices and totals of a sale.

- a line's unit price is captured when it is added, from the medicine's public price
  (RETAIL) or its wholesale price (WHOLESALE), and never above the public price (`ppv`);
- a line's discount is taken off the whole line and may bring it down to zero, never below;
- `subtotal`, `discount_total` and `total_amount` are recomputed from the lines in the
  transaction that changes a line.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from medicine.models import Medicine
from pos_project.money import ZERO, amount_within_limit, quantize
from sales.models import (
    Sale,
    SaleItem,
    SaleType,
)

# --- pricing and totals -------------------------------------------------------------------


def unit_price_for(medicine: Medicine, sale_type: str) -> Decimal:
    """What one unit sells for in a sale of `sale_type`: never above the public price."""
    price = medicine.prix_br if sale_type == SaleType.RETAIL else medicine.effective_wholesale_price
    return quantize(min(price, medicine.prix_br))


def line_value(unit_price: Decimal, quantity: int) -> Decimal:
    """Price x quantity, refused when it would not fit the line's money columns."""
    return amount_within_limit(
        quantize(unit_price * quantity), field="quantity", what=_("The line's value")
    )


def price_line(item: SaleItem) -> None:
    item.line_total = quantize(line_value(item.unit_price, item.quantity) - item.discount)


def set_totals(sale: Sale, lines: Iterable[SaleItem]) -> Sale:
    """The sale's totals from `lines`, all of its lines, without saving it.

    Summed in Python from the Decimals: SQLite keeps decimals as REAL, so its SUM could
    drift by a fraction of a cent.
    """
    subtotal = discount_total = ZERO
    for line in lines:
        subtotal += line.unit_price * line.quantity
        discount_total += line.discount
    sale.subtotal = amount_within_limit(
        quantize(subtotal), field="quantity", what=_("The sale's subtotal")
    )
    sale.discount_total = quantize(discount_total)
    sale.total_amount = quantize(sale.subtotal - sale.discount_total)
    return sale


def recompute_totals(sale: Sale, lines: Iterable[SaleItem] | None = None) -> Sale:
    """Totals from the lines, in the caller's transaction, after the lines changed.

    `lines` are the sale's lines as just saved, when the caller holds them all (the sale
    is locked, so nobody else can change them); otherwise they are read back.
    """
    if lines is None:
        lines = sale.items.only("unit_price", "quantity", "discount")
    set_totals(sale, lines)
    sale.save(update_fields=["subtotal", "discount_total", "total_amount", "updated_at"])
    return sale
