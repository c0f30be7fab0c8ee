"""Cancelling a sale: a DRAFT is dropped; a COMPLETED sale gives back its stock, its charge
on the customer's account and its place in the customer's statistics."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.events import AuditEvent
from audit.services import audit_record
from medicine.services import stock_restore_for_sale
from pos_project.actors import Actor
from pos_project.errors import Conflict, Forbidden, invalid_field
from pos_project.money import ZERO
from receivables.ledger import customer_remove_purchase, receivable_reverse_sale
from sales.errors import ErrorCode
from sales.models import (
    PaymentMethod,
    Sale,
    SaleStatus,
)
from sales.services.checkout import sale_shelf_lines
from sales.services.checks import wrong_status
from sales.services.customer_then_sale import customer_then_sale_retried, lock_customer_then_sale
from sales.till_sessions import drawer_audit, drawer_words, till_session_for_money

# --- cancellation -------------------------------------------------------------------------


def cash_kept(sale: Sale) -> Decimal:
    """The cash a completed sale kept: its cash tenders less the change it gave."""
    cash = sum((p.amount for p in sale.payments.all() if p.method == PaymentMethod.CASH), ZERO)
    return cash - sale.change_due


def _cash_back_words(sale: Sale, actor: Actor) -> str:
    """ "; 12.00 in cash given back by ... out of the drawer of ...", for the audit entry."""
    session = sale.cancellation_till_session
    cash = cash_kept(sale)
    if session is None or cash <= 0:
        return ""
    return f"; {cash} in cash given back by {actor.name}" + drawer_words(session, into=False)


def sale_cancel(*, sale: Sale, reason: str = "", actor: Actor, drawer=None) -> Sale:
    """Cancel a DRAFT (anyone), or reverse a COMPLETED sale (a manager, with a reason).

    Reversing returns the stock, reverses the on-account charge on the ledger (payments
    already made against it become credit or settle other debts) and takes the sale out of
    the customer's statistics. The receipt number stays with the cancelled sale, so the
    sequence keeps no gaps. A CANCELLED sale never changes again. A sale with a return is
    not cancelled (409 `sale_has_returns`): the rest of it is returned instead.

    The cash the sale kept comes out of the canceller's open session at the sale's
    storefront, or out of `drawer` (an open session there chosen in the back office); never
    more than that drawer holds (409 `not_enough_cash`).
    """
    reason = (reason or "").strip()
    return customer_then_sale_retried(
        lambda: _cancel(sale=sale, reason=reason, actor=actor, drawer=drawer)
    )


def _cancel(*, sale: Sale, reason: str, actor: Actor, drawer) -> Sale:
    with transaction.atomic():
        customer, sale = lock_customer_then_sale(sale)
        was = sale.status
        if was == SaleStatus.CANCELLED:
            raise wrong_status(
                sale,
                action="cancel",
                allowed=f"{SaleStatus.DRAFT} or {SaleStatus.COMPLETED}",
                message=_("This sale is already cancelled; a cancelled sale never changes again."),
            )
        if was == SaleStatus.COMPLETED:
            if not actor.is_manager:
                raise Forbidden(
                    "Permission denied",
                    _("Only a manager or the owner may cancel a completed sale."),
                    code=ErrorCode.MANAGER_REQUIRED,
                )
            if not reason:
                raise invalid_field(
                    "reason",
                    _(
                        "Say why the completed sale is cancelled; the reason goes on the audit "
                        "trail."
                    ),
                    code=ErrorCode.REASON_REQUIRED,
                )
            if sale.returns.exists():
                raise Conflict(
                    "Sale has returns",
                    _(
                        "Goods of sale %(receipt)s were already returned, so it can no longer "
                        "be cancelled. Return the rest of it instead."
                    )
                    % {"receipt": sale.receipt_number},
                    code=ErrorCode.SALE_HAS_RETURNS,
                    returned_total=str(sale.returned_total),
                )
        reversed_on_account = ZERO
        if was == SaleStatus.COMPLETED:
            # What the tenders kept goes back out of the canceller's open session at the
            # sale's storefront (or the drawer chosen); with cash control on, cash needs one.
            kept = cash_kept(sale)
            sale.cancellation_till_session = till_session_for_money(
                actor=actor,
                business=sale.business,
                storefront=sale.storefront,
                moves_cash=kept > 0,
                cash_out=max(kept, ZERO),
                drawer=drawer,
            )
            stock_restore_for_sale(storefront=sale.storefront, lines=sale_shelf_lines(sale))
            if customer is not None:
                if sale.on_account_amount > 0:
                    reversed_on_account = sale.on_account_amount
                    receivable_reverse_sale(customer=customer, sale=sale, actor=actor)
                customer_remove_purchase(customer=customer, sale=sale)
        sale.status = SaleStatus.CANCELLED
        sale.cancelled_at = timezone.now()
        sale.cancel_reason = reason
        sale.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancel_reason",
                "cancellation_till_session",
                "updated_at",
            ]
        )
        label = sale.receipt_number or f"draft {str(sale.pk)[:8]}"
        audit_record(
            business=sale.business,
            actor=actor,
            event_type=AuditEvent.SALE_CANCELLED,
            sale=sale,
            customer=customer,
            description=f"Sale {label} cancelled (was {was})"
            + (f": {reason}" if reason else "")
            + _cash_back_words(sale, actor),
            event_data={
                "previous_status": was,
                "reason": reason,
                "receipt_number": sale.receipt_number,
                "total_amount": sale.total_amount,
                "on_account_reversed": reversed_on_account,
                "stock_restored": was == SaleStatus.COMPLETED,
                "balance_after": customer.outstanding_balance if customer else None,
                **drawer_audit(sale.cancellation_till_session),
            },
        )
    return sale
