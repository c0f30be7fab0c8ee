"""Returns: units of a completed sale brought back, refunded the right way, in one transaction.

The lock order is the one of docs/locking.md: the sale's customer, the sale, the stock rows
the units go back to, the return sequence, the receivables summary (inside the ledger
function) and the audit chain head.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from medicine.models import ReturnItemLot
from medicine.services import ShelfLine, stock_restore_for_sale
from pos_project.actors import Actor
from pos_project.errors import Conflict, Forbidden, invalid_field
from pos_project.languages import written_in_english
from pos_project.money import ZERO, quantize
from receivables.ledger import customer_record_return, receivable_return_sale
from sales.errors import ErrorCode
from sales.locks import SaleRef, sequence_take
from sales.models import (
    RefundMethod,
    Return,
    ReturnItem,
    ReturnRefund,
    ReturnSequence,
    Sale,
    SaleItem,
    SaleStatus,
)
from sales.services.customer_then_sale import customer_then_sale_retried, lock_customer_then_sale
from sales.services.return_amounts import (
    default_refund_method,
    line_refund,
    refund_split,
    refund_words,
)
from sales.services.return_lines import (
    ReturnLine,
    refund_method_checked,
    return_lines_parsed,
    returned_items,
)
from sales.till_sessions import drawer_audit, drawer_words, till_session_for_money


def _not_completed(sale: Sale) -> Conflict:
    return Conflict(
        f"Cannot return items of a sale that is not in {SaleStatus.COMPLETED} status",
        _(
            "Only a completed sale takes returns: a draft was never paid, and a cancelled sale "
            "already gave everything back."
        ),
        code=ErrorCode.INVALID_SALE_STATUS,
        current_status=sale.status,
        allowed_status=SaleStatus.COMPLETED,
    )


def _priced(
    sale: Sale, returned: list[tuple[SaleItem, ReturnLine]], refund_method: str
) -> tuple[dict[uuid.UUID, Decimal], Decimal, dict[str, Decimal]]:
    """Each returned line's amount, their total, and the refunds it splits into."""
    amounts = {item.pk: line_refund(item, line.quantity) for item, line in returned}
    total = quantize(sum(amounts.values(), ZERO))
    return amounts, total, refund_split(sale, total).refunds(refund_method)


@dataclass(frozen=True)
class ReturnPreview:
    """What a return would give back, and how, said as the message and the slip say it."""

    total: Decimal
    refunds: dict[str, Decimal]
    words: str


def return_preview(
    *, sale: Sale, lines: Iterable[Mapping[str, Any] | ReturnLine], refund_method: str | None
) -> ReturnPreview:
    """What `sale_return` would do now with these lines, changing nothing: the form shows it
    before the manager confirms. Read without locks; the return itself decides again under
    its locks, and refuses what no longer holds."""
    parsed = return_lines_parsed(lines)
    refund_method = refund_method_checked(refund_method) or default_refund_method(sale)
    _, total, refunds = _priced(sale, returned_items(sale, parsed), refund_method)
    return ReturnPreview(
        total=total, refunds=refunds, words=refund_words(sale, refunds, method=refund_method)
    )


def _refund(*, sale_return: Return, method: str, amount: Decimal) -> ReturnRefund:
    """Record one way the return's money goes back (the return's till session, if any, gave
    back what left a drawer)."""
    return ReturnRefund.objects.create(sale_return=sale_return, method=method, amount=amount)


def sale_return(
    *,
    sale: Sale | SaleRef,
    lines: Iterable[Mapping[str, Any] | ReturnLine],
    reason: str,
    refund_method: str | None = None,
    actor: Actor,
    drawer=None,
) -> Return:
    """Bring back units of a COMPLETED sale's lines (a manager or the owner, with a reason).

    - each line at most what was sold less what earlier returns took back, else a 409
      `return_exceeds_sold` naming every such line, and nothing changes;
    - each unit at the price actually paid (see `return_amounts` for the rounding);
    - the refund first lowers what the customer still owes on this sale (a SALE_RETURN
      ledger entry allocated to the sale); the rest goes back by `refund_method`
      (default: on account when the sale had an on-account tender, else cash);
      ACCOUNT needs a customer on the sale;
    - units go back on the sale's storefront's shelf unless sent with `restock` false;
    - the customer's total purchases fall by the returned amount;
    - cash comes out of the caller's open session at the sale's storefront, or out of
      `drawer` (an open session there chosen in the back office), never more than that
      drawer holds (409 `not_enough_cash`).
    """
    if not actor.is_manager:
        raise Forbidden(
            "Permission denied",
            _("Only a manager or the owner may take a return."),
            code=ErrorCode.MANAGER_REQUIRED,
        )
    reason = (reason or "").strip()
    if not reason:
        raise invalid_field(
            "reason",
            _(
                "Say why the goods come back; the reason goes on the return slip and the audit "
                "trail."
            ),
            code=ErrorCode.REASON_REQUIRED,
        )
    parsed = return_lines_parsed(lines)
    refund_method = refund_method_checked(refund_method)
    return customer_then_sale_retried(
        lambda: _take_return(
            sale=sale,
            parsed=parsed,
            reason=reason,
            refund_method=refund_method,
            actor=actor,
            drawer=drawer,
        )
    )


def _take_return(
    *,
    sale: Sale | SaleRef,
    parsed: list[ReturnLine],
    reason: str,
    refund_method: str | None,
    actor: Actor,
    drawer,
) -> Return:
    with transaction.atomic():
        customer, sale = lock_customer_then_sale(sale)
        if sale.status != SaleStatus.COMPLETED:
            raise _not_completed(sale)
        refund_method = refund_method or default_refund_method(sale)
        if refund_method == RefundMethod.ACCOUNT and customer is None:
            raise invalid_field(
                "refund_method",
                _(
                    "A walk-in sale has no account to hold credit: refund in cash, by card or "
                    "by mobile money."
                ),
                code=ErrorCode.ACCOUNT_REFUND_REQUIRES_CUSTOMER,
            )
        returned = returned_items(sale, parsed)
        amounts, total, refunds = _priced(sale, returned, refund_method)
        # The caller's open session at the sale's storefront gives the money back; with cash
        # control on, cash needs one, and its refusal comes before anything has changed.
        till_session = till_session_for_money(
            actor=actor,
            business=sale.business,
            storefront=sale.storefront,
            moves_cash=RefundMethod.CASH in refunds,
            cash_out=refunds.get(RefundMethod.CASH, ZERO),
            drawer=drawer,
        )

        restored = stock_restore_for_sale(
            storefront=sale.storefront,
            lines=[
                ShelfLine(
                    item=item.pk,
                    medicine=item.medicine_id,
                    quantity=line.quantity,
                    restock=line.restock,
                )
                for item, line in returned
            ],
        )

        # Taken in the returning transaction, so numbers are gap-free.
        sequence = sequence_take(ReturnSequence, business=sale.business)
        number = ReturnSequence.label(sequence)
        created = Return.objects.create(
            business=sale.business,
            sale=sale,
            sequence=sequence,
            number=number,
            reason=reason,
            refund_method=refund_method,
            total=total,
            till_session=till_session,
            created_by=actor.user,
        )
        return_items = ReturnItem.objects.bulk_create(
            ReturnItem(
                sale_return=created,
                sale_item=item,
                quantity=line.quantity,
                amount=amounts[item.pk],
                restocked=line.restock,
            )
            for item, line in returned
        )
        # The lots each line's units went back into (or were sold from, kept off the shelf):
        # the slip prints them, so a recall reaches a returned box.
        ReturnItemLot.objects.bulk_create(
            ReturnItemLot(return_item=return_item, lot_id=lot_id, quantity=units)
            for return_item in return_items
            for lot_id, units in restored.get(return_item.sale_item_id, {}).items()
        )
        for item, line in returned:
            SaleItem.objects.filter(pk=item.pk).update(
                returned_quantity=F("returned_quantity") + line.quantity
            )
        sale.returned_total = quantize(sale.returned_total + total)
        sale.save(update_fields=["returned_total", "updated_at"])

        for method, amount in refunds.items():
            _refund(sale_return=created, method=method, amount=amount)
        balance_before = customer.outstanding_balance if customer else None
        if customer is not None:
            receivable_return_sale(
                customer=customer,
                sale=sale,
                sale_return=created,
                due_reduced=refunds.get(RefundMethod.AMOUNT_DUE, ZERO),
                credit=refunds.get(RefundMethod.ACCOUNT, ZERO),
                actor=actor,
            )
            customer_record_return(customer=customer, amount=total)
        event_data = {
            "return_number": number,
            "receipt_number": sale.receipt_number,
            "reason": reason,
            "total": total,
            "refund_method": refund_method,
            **drawer_audit(till_session),
            "refunds": [{"method": method, "amount": amount} for method, amount in refunds.items()],
            "lines": [
                {
                    "item": item.pk,
                    "medicine": item.medicine_id,
                    "name": item.medicine_name,
                    "quantity": line.quantity,
                    "amount": amounts[item.pk],
                    "restocked": line.restock,
                }
                for item, line in returned
            ],
            "returned_total": sale.returned_total,
            "amount_due": sale.amount_due,
        }
        if customer is not None:
            event_data["changes"] = audit_changes(
                {"outstanding_balance": balance_before},
                {"outstanding_balance": customer.outstanding_balance},
            )
        with written_in_english():
            description = (
                f"Return {number} of sale {sale.receipt_number} by {actor.name}: "
                f"{refund_words(sale, refunds, method=refund_method)}"
                + drawer_words(till_session if RefundMethod.CASH in refunds else None, into=False)
                + f" ({reason})"
            )
        audit_record(
            business=sale.business,
            actor=actor,
            event_type=AuditEvent.SALE_RETURNED,
            sale=sale,
            customer=customer,
            description=description,
            event_data=event_data,
        )
    return created
