"""What a return gives back: each line's amount, and how the total is refunded.

Rounding of a partial return (documented in docs/api.md): the first `k` units of a line
are worth `round_half_up(line_total * k / quantity)`, to the cent. Units returned are
valued as the difference between that worth after and before them, so

- a unit costs what was actually paid for it, the line's discount spread over its units;
- returning the whole line, in one return or many, gives back exactly its `line_total`;
- the returns of a line never add up to more than its `line_total`, and the last units
  returned take whatever cent the rounding of the earlier ones left.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language_bidi, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from pos_project.bidi import isolate
from pos_project.money import ZERO, format_money, quantize
from sales.models import RefundMethod, Sale, SaleItem


def _worth_of_first(item: SaleItem, units: int) -> Decimal:
    if units >= item.quantity:
        return item.line_total
    return quantize(item.line_total * units / item.quantity)


def line_refund(item: SaleItem, quantity: int) -> Decimal:
    """What `quantity` more units of `item` give back, after those already returned."""
    already = item.returned_quantity
    return _worth_of_first(item, already + quantity) - _worth_of_first(item, already)


def default_refund_method(sale: Sale) -> str:
    """Credit on account when the sale was partly charged to the account, else cash."""
    return RefundMethod.ACCOUNT if sale.on_account_amount > 0 else RefundMethod.CASH


@dataclass(frozen=True)
class RefundSplit:
    """A return's total, split: first off what is still owed on the sale, then the rest."""

    due_reduced: Decimal
    rest: Decimal

    def refunds(self, method: str) -> dict[str, Decimal]:
        """The refunds to record, by method, leaving out nothing-amounts."""
        parts = {RefundMethod.AMOUNT_DUE: self.due_reduced, method: self.rest}
        return {method: amount for method, amount in parts.items() if amount > 0}


REFUND_WAYS = {
    RefundMethod.CASH: gettext_lazy("in cash"),
    RefundMethod.CARD: gettext_lazy("to the card"),
    RefundMethod.MOBILE_MONEY: gettext_lazy("by mobile money"),
    RefundMethod.ACCOUNT: gettext_lazy("held as credit on the account"),
}


def refund_way(sale: Sale, method: str) -> str:
    """How a refund of `method` went back: "in cash", "off what is owed on S-000049"."""
    if method == RefundMethod.AMOUNT_DUE:
        return _("off what is owed on %(receipt)s") % {
            "receipt": _left_to_right(sale.receipt_number)
        }
    return str(REFUND_WAYS[method])


def _left_to_right(text: str) -> str:
    # An amount or a receipt number inside right-to-left words keeps its own order.
    return isolate(text) if get_language_bidi() else text


def refund_parts_joined(parts: list[str]) -> str:
    """The refunds one after the other, with the language's comma."""
    return pgettext("list separator", ", ").join(parts)


def _refund_part(sale: Sale, method: str, amount: Decimal) -> str:
    return _("%(amount)s %(way)s") % {
        "amount": _left_to_right(format_money(amount, sale.business.currency_symbol)),
        "way": refund_way(sale, method),
    }


def refund_words(sale: Sale, refunds: dict[str, Decimal], *, method: str) -> str:
    """What a return does with its money, in the words the form, the message, the audit
    entry and the slip all use: "102.90 DH off what is owed on S-000049, 0.00 DH in cash"."""
    parts = []
    if refunds.get(RefundMethod.AMOUNT_DUE, ZERO) > 0:
        parts.append(_refund_part(sale, RefundMethod.AMOUNT_DUE, refunds[RefundMethod.AMOUNT_DUE]))
    parts.append(_refund_part(sale, method, refunds.get(method, ZERO)))
    return refund_parts_joined(parts)


def refund_lines(sale_return) -> list[str]:
    """Each refund a return made, one line each, in the words of `refund_words`."""
    return [
        _refund_part(sale_return.sale, refund.method, refund.amount)
        for refund in sale_return.refunds.all()
    ]


def return_refund_words(sale_return) -> str:
    """`refund_words` of a return made: its refunds (prefetched, or one query)."""
    refunds = {refund.method: refund.amount for refund in sale_return.refunds.all()}
    return refund_words(sale_return.sale, refunds, method=sale_return.refund_method)


def refund_split(sale: Sale, total: Decimal) -> RefundSplit:
    due_reduced = min(total, sale.amount_due) if sale.customer_id else ZERO
    return RefundSplit(due_reduced=due_reduced, rest=quantize(total - due_reduced))
