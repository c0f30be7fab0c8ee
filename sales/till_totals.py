"""A till session's totals, computed from the money that went through it: its sales and
their tenders, the debt payments it took, the refunds of cancellations and returns it gave
back, its pay-ins and pay-outs.

The X report reads them live; the close stores them (the Z report) and `check_ledgers`
computes them again to prove what was stored. Debt payments are read through the session's
reverse relation (`debt_payments`), so this module needs nothing of the receivables app.

Expected cash = opening float + cash tendered in sales - change given + cash debt payments
+ pay-ins - pay-outs - cash refunds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from pos_project.money import SUM_MAX_DIGITS, ZERO, amount_within_limit, quantize
from sales.models import (
    CashMovement,
    CashMovementType,
    Payment,
    PaymentMethod,
    RefundMethod,
    ReturnRefund,
    Sale,
    TillSession,
)


@dataclass(frozen=True)
class TillTotals:
    """Every total of a session's report. Each field is a column of `TillSession`, where the
    close stores it."""

    sales_count: int
    gross_sales: Decimal
    discounts: Decimal
    net_sales: Decimal
    cash_tendered: Decimal
    card_sales: Decimal
    mobile_money_sales: Decimal
    on_account_sales: Decimal
    change_given: Decimal
    debt_payments_cash: Decimal
    debt_payments_card: Decimal
    debt_payments_mobile_money: Decimal
    refunds_cash: Decimal
    refunds_card: Decimal
    refunds_mobile_money: Decimal
    refunds_on_account: Decimal
    pay_ins: Decimal
    pay_outs: Decimal
    expected_cash: Decimal

    @classmethod
    def names(cls) -> list[str]:
        return [field.name for field in fields(cls)]

    @classmethod
    def stored(cls, session: TillSession) -> TillTotals:
        """The totals a closed session stored at its close."""
        return cls(**{name: getattr(session, name) for name in cls.names()})

    def as_dict(self) -> dict:
        return asdict(self)

    def with_cash_movement(self, *, type: str, amount: Decimal) -> TillTotals:
        """These totals once a pay-in or pay-out of `amount` joins the session."""
        if type == CashMovementType.PAY_IN:
            return replace(
                self, pay_ins=self.pay_ins + amount, expected_cash=self.expected_cash + amount
            )
        return replace(
            self, pay_outs=self.pay_outs + amount, expected_cash=self.expected_cash - amount
        )

    def check_within_limit(self, *, field: str) -> None:
        """A 400 (`amount_too_large`, under `field`) when a total would not fit the money
        column the close stores it in."""
        for name, value in self.as_dict().items():
            if name != "sales_count":
                what = _("The session's %(figure)s") % {
                    "figure": TillSession._meta.get_field(name).verbose_name
                }
                amount_within_limit(value, field=field, what=what)


def _sum(column: str) -> Sum:
    # Wider than a money column: the report adds amounts that each fit one, and a total past
    # the column is refused with a 400 (`TillTotals.check_within_limit`), never misread.
    return Sum(column, output_field=DecimalField(max_digits=SUM_MAX_DIGITS, decimal_places=2))


def _sums_by(rows: QuerySet, key: str) -> dict[str, Decimal]:
    """The rows' amounts added up for each value of `key` (a payment method, a type)."""
    totals = rows.values(key).annotate(total=_sum("amount")).order_by()
    return {row[key]: quantize(row["total"] or ZERO) for row in totals}


# The tender a return's refund comes off: money back by the same means; what came off the
# amount due or went back as credit comes off what was sold on account.
REFUND_TENDER = {
    RefundMethod.CASH: PaymentMethod.CASH,
    RefundMethod.CARD: PaymentMethod.CARD,
    RefundMethod.MOBILE_MONEY: PaymentMethod.MOBILE_MONEY,
    RefundMethod.AMOUNT_DUE: PaymentMethod.ON_ACCOUNT,
    RefundMethod.ACCOUNT: PaymentMethod.ON_ACCOUNT,
}


@dataclass(frozen=True)
class TenderMoves:
    """Money that moved, by tender (a `PaymentMethod`): what sales took, what was given back,
    and the debt payments received. Cash is net of the change given."""

    taken: dict[str, Decimal]
    given_back: dict[str, Decimal]
    debt: dict[str, Decimal]
    change_given: Decimal

    def net(self, method: str) -> Decimal:
        """What sales brought in by `method`, less what went back that way."""
        return quantize(self.taken.get(method, ZERO) - self.given_back.get(method, ZERO))


def tender_moves(
    *,
    completed: QuerySet[Sale],
    cancelled: QuerySet[Sale],
    refunds: QuerySet[ReturnRefund],
    debt_payments: QuerySet,
) -> TenderMoves:
    """The one rule for money by tender, counted where and when it moved: each sale of
    `completed` (cancelled since or not) by its tenders, cash net of its change; each sale
    of `cancelled` gives back what each tender kept (cash net of change, card and mobile
    money in full, the on-account charge reversed); each return refund of `refunds` by its
    tender (`REFUND_TENDER`); and `debt_payments` by method. The till session's totals pick
    their session, the home page's takings their day. Six queries.
    """
    taken = _tenders_of(completed)
    change_given = quantize(completed.aggregate(change=_sum("change_due"))["change"] or ZERO)
    if PaymentMethod.CASH in taken:
        taken[PaymentMethod.CASH] = quantize(taken[PaymentMethod.CASH] - change_given)
    return TenderMoves(
        taken=taken,
        given_back=given_back_by_tender(cancelled=cancelled, refunds=refunds),
        debt=_sums_by(debt_payments, "method"),
        change_given=change_given,
    )


def _tenders_of(sales: QuerySet[Sale]) -> dict[str, Decimal]:
    """What `sales` were paid with, by tender, as tendered (through each sale's payments)."""
    totals = sales.values("payments__method").annotate(total=_sum("payments__amount")).order_by()
    return {
        row["payments__method"]: quantize(row["total"] or ZERO)
        for row in totals
        if row["payments__method"] is not None
    }


def given_back_by_tender(
    *, cancelled: QuerySet[Sale], refunds: QuerySet[ReturnRefund]
) -> dict[str, Decimal]:
    """What went back, by tender (`tender_moves`' rule): each sale of `cancelled` gives back
    what each tender kept, and each refund of `refunds` comes off its tender
    (`REFUND_TENDER`), so a return first taken off what is owed counts on account, not in
    cash. Three queries. It reads only through the querysets given, so the migration that
    filled the Z reports closed before they kept `refunds_on_account` ran it too."""
    given_back = _tenders_of(cancelled)
    change_back = quantize(cancelled.aggregate(change=_sum("change_due"))["change"] or ZERO)
    if change_back:
        given_back[PaymentMethod.CASH] = quantize(
            given_back.get(PaymentMethod.CASH, ZERO) - change_back
        )
    for method, amount in _sums_by(refunds, "method").items():
        tender = REFUND_TENDER[method]
        given_back[tender] = quantize(given_back.get(tender, ZERO) + amount)
    return given_back


def till_session_totals(session: TillSession) -> TillTotals:
    """The session's totals from its sources, now: eight queries however busy the session.

    A sale counts in the session that completed it, even if it was cancelled later or some
    of it came back; a cancellation's or a return's refund counts in the session that gave
    the money back (`tender_moves`).
    """
    sales = Sale.objects.filter(till_session=session).aggregate(
        count=Count("id"),
        gross=_sum("subtotal"),
        discounts=_sum("discount_total"),
        net=_sum("total_amount"),
    )
    moves = tender_moves(
        completed=Sale.objects.filter(till_session=session),
        cancelled=Sale.objects.filter(cancellation_till_session=session),
        refunds=ReturnRefund.objects.filter(sale_return__till_session=session),
        debt_payments=session.debt_payments.all(),
    )
    movements = _sums_by(CashMovement.objects.filter(session=session), "type")
    # The drawer's report keeps what sales took in cash before the change.
    cash_tendered = quantize(moves.taken.get(PaymentMethod.CASH, ZERO) + moves.change_given)
    change_given = moves.change_given
    debt_cash = moves.debt.get(PaymentMethod.CASH, ZERO)
    refunds_cash = moves.given_back.get(PaymentMethod.CASH, ZERO)
    pay_ins = movements.get(CashMovementType.PAY_IN, ZERO)
    pay_outs = movements.get(CashMovementType.PAY_OUT, ZERO)
    expected = quantize(
        session.opening_float
        + cash_tendered
        - change_given
        + debt_cash
        + pay_ins
        - pay_outs
        - refunds_cash
    )
    return TillTotals(
        sales_count=sales["count"],
        gross_sales=quantize(sales["gross"] or ZERO),
        discounts=quantize(sales["discounts"] or ZERO),
        net_sales=quantize(sales["net"] or ZERO),
        cash_tendered=cash_tendered,
        card_sales=moves.taken.get(PaymentMethod.CARD, ZERO),
        mobile_money_sales=moves.taken.get(PaymentMethod.MOBILE_MONEY, ZERO),
        on_account_sales=moves.taken.get(PaymentMethod.ON_ACCOUNT, ZERO),
        change_given=change_given,
        debt_payments_cash=debt_cash,
        debt_payments_card=moves.debt.get(PaymentMethod.CARD, ZERO),
        debt_payments_mobile_money=moves.debt.get(PaymentMethod.MOBILE_MONEY, ZERO),
        refunds_cash=refunds_cash,
        refunds_card=moves.given_back.get(PaymentMethod.CARD, ZERO),
        refunds_mobile_money=moves.given_back.get(PaymentMethod.MOBILE_MONEY, ZERO),
        refunds_on_account=moves.given_back.get(PaymentMethod.ON_ACCOUNT, ZERO),
        pay_ins=pay_ins,
        pay_outs=pay_outs,
        expected_cash=expected,
    )


def till_session_cash_low_point(session: TillSession) -> tuple[Decimal, object | None]:
    """The least cash the session's drawer was expected to hold at any moment, and when
    (None: at the opening). The same money as `expected_cash`, taken in the order it moved;
    `check_ledgers` reports a drawer that ever went below zero. Six queries.

    Money in and out at the same instant counts the money in first.
    """
    moves: list[tuple[object, Decimal]] = []
    sales = Sale.objects.filter(till_session=session).values_list("pk", "completed_at")
    cancelled = Sale.objects.filter(cancellation_till_session=session).values_list(
        "pk", "cancelled_at"
    )
    completed_at, cancelled_at = dict(sales), dict(cancelled)
    # A sale's cash kept (cash tendered less change), in at completion, out at cancellation.
    kept = (
        Payment.objects.filter(
            Q(sale__till_session=session) | Q(sale__cancellation_till_session=session),
            method=PaymentMethod.CASH,
        )
        .values("sale_id", "sale__change_due")
        .annotate(cash=_sum("amount"))
        .order_by()
    )
    for row in kept:
        net = (row["cash"] or ZERO) - row["sale__change_due"]
        if row["sale_id"] in completed_at:
            moves.append((completed_at[row["sale_id"]], net))
        if row["sale_id"] in cancelled_at:
            moves.append((cancelled_at[row["sale_id"]], -net))
    for moment, amount in session.debt_payments.filter(method=PaymentMethod.CASH).values_list(
        "created_at", "amount"
    ):
        moves.append((moment, amount))
    for moment, kind, amount in CashMovement.objects.filter(session=session).values_list(
        "created_at", "type", "amount"
    ):
        moves.append((moment, amount if kind == CashMovementType.PAY_IN else -amount))
    for moment, amount in ReturnRefund.objects.filter(
        sale_return__till_session=session, method=RefundMethod.CASH
    ).values_list("sale_return__created_at", "amount"):
        moves.append((moment, -amount))
    cash, lowest, when = session.opening_float, session.opening_float, None
    for moment, amount in sorted(moves, key=lambda move: (move[0], move[1] < 0)):
        cash += amount
        if cash < lowest:
            lowest, when = cash, moment
    return quantize(lowest), when
