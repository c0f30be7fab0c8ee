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
    RefundMethod.CASH: "in cash",
    RefundMethod.CARD: "to the card",
    RefundMethod.MOBILE_MONEY: "by mobile money",
    RefundMethod.ACCOUNT: "held as credit on the account",
}


def refund_words(sale: Sale, refunds: dict[str, Decimal], *, method: str) -> str:
    """What a return does with its money, in the words the form, the message, the audit
    entry and the slip all use: "102.90 DH off what is owed on S-000049, 0.00 DH in cash"."""
    symbol = sale.business.currency_symbol
    parts = []
    if refunds.get(RefundMethod.AMOUNT_DUE, ZERO) > 0:
        owed = format_money(refunds[RefundMethod.AMOUNT_DUE], symbol)
        parts.append(f"{owed} off what is owed on {sale.receipt_number}")
    parts.append(f"{format_money(refunds.get(method, ZERO), symbol)} {REFUND_WAYS[method]}")
    return ", ".join(parts)


def refund_split(sale: Sale, total: Decimal) -> RefundSplit:
    due_reduced = min(total, sale.amount_due) if sale.customer_id else ZERO
    return RefundSplit(due_reduced=due_reduced, rest=quantize(total - due_reduced))
