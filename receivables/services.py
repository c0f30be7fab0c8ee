"""Money a customer brings or is given: recording a debt payment and a manager's credit
adjustment, each in one transaction with the customer locked first (docs/locking.md).

Rules kept here:
- a payment larger than what is owed is refused unless the caller allows the overpayment,
  which is then held as credit; a cashier may take it only where the owner allows deposits;
- a manager's "deduct" adjustment takes back credit held for the customer, never more: a
  debt only ever arises from an on-account sale, so every debt ages from a sale date and
  every payment settles a known sale. Deducted credit is no longer free to settle sales.

The ledger operations they post through (`receivables.ledger`) keep the balance, the
statement and the allocations in step.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from audit.events import AuditEvent, audit_changes
from audit.services import audit_record
from customers.locks import customer_lock
from customers.models import Customer
from pos_project.actors import Actor
from pos_project.errors import Forbidden, Invalid, invalid_field
from pos_project.languages import written_in_english
from pos_project.money import LARGEST_AMOUNT, ZERO, amount_too_large, format_money
from receivables.descriptions import credit_adjustment_details, ledger_record, payment_details
from receivables.errors import ErrorCode
from receivables.ledger import (
    allocations_settle,
    allocations_settled_amounts,
    credit_held,
    ledger_post,
)
from receivables.models import (
    AdjustmentType,
    CustomerLedgerEntry,
    CustomerPayment,
    DebtPaymentMethod,
    LedgerEntryType,
)
from receivables.summary import receivables_summary_move
from sales.till_sessions import drawer_audit, drawer_words, till_session_for_money


def _money_amount(value) -> Decimal:
    """`value` as a positive amount of money with at most two decimals, or a DomainError."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        raise invalid_field(
            "amount",
            _('Send the amount as a number with at most two decimals, e.g. "120.50".'),
            error="Invalid amount",
            code=ErrorCode.AMOUNT_INVALID,
        )
    if amount <= 0:
        raise invalid_field(
            "amount",
            _("Send an amount greater than zero."),
            error="Amount must be positive",
            code=ErrorCode.AMOUNT_NOT_POSITIVE,
        )
    if amount > LARGEST_AMOUNT:
        raise amount_too_large(field="amount", what=_("The amount"))
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise invalid_field(
            "amount",
            _("Amounts have at most two decimals (cents). Round the amount and send it again."),
            error="Too many decimals",
            code=ErrorCode.AMOUNT_TOO_PRECISE,
        )
    return amount.quantize(Decimal("0.01"))


def _allocation_rows(allocations) -> list[dict]:
    return [
        {
            "sale_id": str(allocation.sale_id),
            "receipt_number": allocation.sale.receipt_number,
            "amount": allocation.amount,
        }
        for allocation in allocations
    ]


def _may_take_deposits(actor: Actor, customer: Customer) -> bool:
    """Holding a customer's money as credit is for managers, and for cashiers when the
    owner has allowed it."""
    return actor.is_manager or customer.business.cashiers_take_deposits


def customer_record_payment(
    *,
    customer: Customer,
    amount,
    method: str,
    actor: Actor,
    reference: str = "",
    note: str = "",
    allow_overpayment: bool = False,
    drawer=None,
) -> CustomerPayment:
    """Record money a customer paid against their debt, and settle their oldest sales with it.

    A payment above what is owed is refused unless `allow_overpayment`: the extra is then
    held as credit (a negative balance) for the customer's next on-account sales. Cash goes
    into the recorder's open till session, or into `drawer` (an open session chosen in the
    back office by a manager who has none).
    """
    amount = _money_amount(amount)
    if method not in DebtPaymentMethod.values:
        raise invalid_field(
            "method",
            _("Use one of: %(methods)s.") % {"methods": ", ".join(DebtPaymentMethod.values)},
            error="Unknown payment method",
            code=ErrorCode.INVALID_PAYMENT_METHOD,
            allowed_methods=list(DebtPaymentMethod.values),
        )
    with transaction.atomic():
        # Locked so that a till charging the account and this payment cannot interleave:
        # the overpayment check below must see the balance the payment is applied to.
        customer = customer_lock(customer=customer)
        balance_before = customer.outstanding_balance
        owed = max(balance_before, ZERO)
        if amount > owed and allow_overpayment and not _may_take_deposits(actor, customer):
            raise invalid_field(
                "allow_overpayment",
                _(
                    "The customer owes %(amount)s. A cashier may record at most that; holding "
                    "the extra as credit is a manager's decision, unless the owner lets "
                    "cashiers take deposits."
                )
                % {"amount": owed},
                error="Deposits need a manager",
                code=ErrorCode.DEPOSIT_NOT_ALLOWED,
                outstanding_balance=str(owed),
            )
        if amount > owed and not allow_overpayment:
            raise invalid_field(
                "amount",
                _(
                    "The customer owes %(amount)s. Record at most that, or send "
                    '"allow_overpayment": true to hold the extra as credit for them.'
                )
                % {"amount": owed},
                error="Payment exceeds the amount owed",
                code=ErrorCode.OVERPAYMENT_NOT_ALLOWED,
                outstanding_balance=str(owed),
            )
        # The recorder's open till session (or the drawer chosen) takes the payment; with
        # cash control on, cash needs one.
        till_session = till_session_for_money(
            actor=actor,
            business=customer.business,
            moves_cash=method == DebtPaymentMethod.CASH,
            drawer=drawer,
        )
        cash_drawer = till_session if method == DebtPaymentMethod.CASH else None
        payment = CustomerPayment.objects.create(
            business_id=customer.business_id,
            till_session=till_session,
            customer=customer,
            amount=amount,
            method=method,
            reference=(reference or "")[:100],
            note=(note or "")[:255],
            received_by=actor.user,
            received_by_name=actor.name,
        )
        details = payment_details(method=method)
        entry = ledger_post(
            customer=customer,
            entry_type=LedgerEntryType.PAYMENT,
            amount=-amount,
            description=ledger_record(LedgerEntryType.PAYMENT, details),
            details=details,
            actor=actor,
            payment=payment,
        )
        made = allocations_settle(customer=customer)
        receivables_summary_move(
            business_id=customer.business_id,
            balance_before=balance_before,
            balance_after=customer.outstanding_balance,
            due=allocations_settled_amounts(made),
        )
        settled = list(entry.allocations.select_related("sale").order_by("created_at", "id"))
        # The reference and note are in the description so the audit list finds them.
        with written_in_english():
            description = (
                f"{actor.name} recorded a {DebtPaymentMethod(method).label.lower()} payment of "
                f"{format_money(amount, customer.business.currency_symbol)} from "
                f"{customer.name}"
                + drawer_words(cash_drawer, into=True)
                + "."
                + (f" Reference: {payment.reference}." if payment.reference else "")
                + (f" Note: {payment.note}" if payment.note else "")
            )
        audit_record(
            business=customer.business,
            actor=actor,
            event_type=AuditEvent.CUSTOMER_PAYMENT_RECORDED,
            description=description,
            event_data={
                "payment_id": str(payment.pk),
                "amount": amount,
                "method": method,
                "reference": payment.reference,
                "note": payment.note,
                "changes": audit_changes(
                    {"outstanding_balance": balance_before},
                    {"outstanding_balance": customer.outstanding_balance},
                ),
                "overpayment": max(amount - owed, ZERO),
                **drawer_audit(till_session),
                "allocations": _allocation_rows(settled),
            },
            customer=customer,
        )
    payment.customer = customer
    return payment


def customer_adjust_credit(
    *, customer: Customer, amount, type: str, reason: str = "", actor: Actor
) -> CustomerLedgerEntry:
    """A manager's correction to what the customer owes.

    "add" gives credit: the balance goes down, and the credit settles unpaid sales oldest
    first like a payment. "deduct" takes back credit held for the customer, up to what is
    held (see the module notes). The reason is optional (a till may send none); the
    statement and the audit entry then say that none was given.
    """
    if not actor.is_manager:
        raise Forbidden(
            "Permission denied",
            _("Only a manager or the owner may adjust a customer's credit."),
            code=ErrorCode.MANAGER_REQUIRED,
        )
    amount = _money_amount(amount)
    if type not in AdjustmentType.values:
        raise Invalid(
            "Unknown adjustment type",
            _('Use "add" to give the customer credit or "deduct" to take credit back.'),
            code=ErrorCode.ADJUSTMENT_TYPE_INVALID,
            allowed_types=list(AdjustmentType.values),
        )
    reason = (reason or "").strip()
    stated_reason = reason or "no reason given"
    with transaction.atomic():
        customer = customer_lock(customer=customer)
        balance_before = customer.outstanding_balance
        if type == AdjustmentType.DEDUCT:
            held = credit_held(customer=customer)
            if amount > held:
                raise Invalid(
                    "Deduction exceeds the credit held",
                    _(
                        "The customer has %(amount)s of credit held; at most that can be taken "
                        "back. To charge the customer for goods, sell on account."
                    )
                    % {"amount": held},
                    code=ErrorCode.DEDUCTION_EXCEEDS_CREDIT,
                    credit_held=str(held),
                )
        signed = -amount if type == AdjustmentType.ADD else amount
        details = credit_adjustment_details(type=type, reason=reason)
        entry = ledger_post(
            customer=customer,
            entry_type=LedgerEntryType.CREDIT_ADJUSTMENT,
            amount=signed,
            description=ledger_record(LedgerEntryType.CREDIT_ADJUSTMENT, details),
            details=details,
            actor=actor,
        )
        made, settled = [], []
        if type == AdjustmentType.ADD:
            made = allocations_settle(customer=customer)
            settled = list(entry.allocations.select_related("sale").order_by("created_at", "id"))
        receivables_summary_move(
            business_id=customer.business_id,
            balance_before=balance_before,
            balance_after=customer.outstanding_balance,
            due=allocations_settled_amounts(made),
        )
        audit_record(
            business=customer.business,
            actor=actor,
            event_type=AuditEvent.CUSTOMER_CREDIT_ADJUSTED,
            description=(
                f"{actor.name} {'gave' if type == AdjustmentType.ADD else 'took back'} "
                f"{amount} of credit {'to' if type == AdjustmentType.ADD else 'from'} "
                f"{customer.name}: {stated_reason}"
            ),
            event_data={
                "entry_id": str(entry.pk),
                "type": type,
                "amount": amount,
                "reason": reason,
                "changes": audit_changes(
                    {"outstanding_balance": balance_before},
                    {"outstanding_balance": customer.outstanding_balance},
                ),
                "allocations": _allocation_rows(settled),
            },
            customer=customer,
        )
    entry.customer = customer
    return entry
