"""The tenders of a completion, checked on their own before any lock is taken: each method
one of the payment methods, each amount a positive sum of money, and the credit limit's
override a manager's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from pos_project.actors import Actor
from pos_project.errors import Forbidden, invalid_field
from sales.errors import ErrorCode
from sales.models import PaymentMethod
from sales.services.checks import check_amount


@dataclass(frozen=True)
class Tender:
    method: str
    amount: Decimal
    reference: str = ""


def _tenders(payments: Iterable[Mapping[str, Any] | Tender]) -> list[Tender]:
    tenders = []
    for index, payment in enumerate(payments):
        if isinstance(payment, Tender):
            payment = {
                "method": payment.method,
                "amount": payment.amount,
                "reference": payment.reference,
            }
        method = payment.get("method")
        if method not in PaymentMethod.values:
            raise invalid_field(
                "payments",
                _("Payment %(number)s: the method must be one of %(methods)s.")
                % {"number": index + 1, "methods": ", ".join(PaymentMethod.values)},
                code=ErrorCode.INVALID_PAYMENT_METHOD,
            )
        amount = check_amount(
            payment.get("amount"), field="payments", code=ErrorCode.INVALID_PAYMENT
        )
        if amount <= 0:
            raise invalid_field(
                "payments",
                _("Payment %(number)s: the amount must be greater than zero.")
                % {"number": index + 1},
                code=ErrorCode.INVALID_PAYMENT,
            )
        tenders.append(
            Tender(method=method, amount=amount, reference=str(payment.get("reference") or ""))
        )
    return tenders


def checkout_tenders(
    payments: Iterable[Mapping[str, Any] | Tender], *, override_credit_limit: bool, actor: Actor
) -> list[Tender]:
    """The tenders of a checkout, checked on their own, and whether `actor` may override a
    credit limit: refused before any lock is taken."""
    tenders = _tenders(payments)
    if override_credit_limit and not actor.is_manager:
        raise Forbidden(
            "Permission denied",
            _("Only a manager or the owner may override a customer's credit limit."),
            code=ErrorCode.OVERRIDE_NOT_ALLOWED,
        )
    return tenders
