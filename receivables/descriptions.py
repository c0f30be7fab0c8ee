"""A customer-ledger entry's description as the reader sees it, in the reader's language.

The stored `description` is the record: English, written once, never rewritten. The
statement (the printed page, its export, the API) and the back office show the sentence
rendered from the entry's type and `details` instead, in the active language: amounts by
`format_money`, a manager's reason between isolates (`pos_project.bidi`) so that it keeps
its place whatever its script, and in a right-to-left language receipt and return numbers
too (wrapped after "S-", a number would otherwise read backwards). The functions that
write entries build their details here, so the writer and the reader agree on their shape.
An entry without the details its sentence needs (one the backfill could not read) reads as
its stored text.
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from pos_project.bidi import isolate
from pos_project.languages import written_in_english
from pos_project.money import format_money, quantize
from receivables.models import (
    AdjustmentType,
    CustomerLedgerEntry,
    DebtPaymentMethod,
    LedgerEntryType,
)

# A name or a manager's words inside a sentence: isolated when shown, as written when stored.
Isolate = Callable[[str], str]


def sale_charge_details(*, receipt_number: str) -> dict:
    return {"receipt_number": receipt_number}


def sale_reversal_details(*, receipt_number: str, released: Decimal) -> dict:
    """`released`: what payments had settled on the sale, released as credit."""
    return {"receipt_number": receipt_number, "released": str(quantize(released))}


def sale_return_details(*, return_number: str, receipt_number: str) -> dict:
    return {"return_number": return_number, "receipt_number": receipt_number}


def payment_details(*, method: str) -> dict:
    """`method`: a DebtPaymentMethod value."""
    return {"method": method}


def credit_adjustment_details(*, type: str, reason: str) -> dict:
    """`type`: an AdjustmentType value; `reason`: as the manager wrote it, empty if none."""
    return {"type": type, "reason": reason}


def _number(details: dict, key: str) -> str:
    """A receipt or return number: left to right whatever the sentence around it."""
    value = details[key]
    if not isinstance(value, str) or not value:
        raise ValueError(key)
    return isolate(value) if get_language_bidi() else value


def _sale_charge(details: dict, symbol: str, name: Isolate) -> str:
    return _("On-account part of sale %(receipt)s") % {
        "receipt": _number(details, "receipt_number")
    }


def _sale_reversal(details: dict, symbol: str, name: Isolate) -> str:
    receipt = _number(details, "receipt_number")
    released = Decimal(details["released"])
    if released:
        return _(
            "Reversal of cancelled sale %(receipt)s (%(released)s already paid on it released "
            "as credit)"
        ) % {"receipt": receipt, "released": format_money(released, symbol)}
    return _("Reversal of cancelled sale %(receipt)s") % {"receipt": receipt}


def _sale_return(details: dict, symbol: str, name: Isolate) -> str:
    return _("Return %(return_number)s of sale %(receipt)s") % {
        "return_number": _number(details, "return_number"),
        "receipt": _number(details, "receipt_number"),
    }


def _payment(details: dict, symbol: str, name: Isolate) -> str:
    return _("Payment (%(method)s)") % {"method": DebtPaymentMethod(details["method"]).label}


def _credit_adjustment(details: dict, symbol: str, name: Isolate) -> str:
    reason = details["reason"]
    stated = name(reason) if reason else _("no reason given")
    if details["type"] == AdjustmentType.ADD:
        return _("Credit given: %(reason)s") % {"reason": stated}
    if details["type"] == AdjustmentType.DEDUCT:
        return _("Credit taken back: %(reason)s") % {"reason": stated}
    raise ValueError(details["type"])


DESCRIBED: dict[str, Callable[[dict, str, Isolate], str]] = {
    LedgerEntryType.SALE_CHARGE: _sale_charge,
    LedgerEntryType.SALE_REVERSAL: _sale_reversal,
    LedgerEntryType.SALE_RETURN: _sale_return,
    LedgerEntryType.PAYMENT: _payment,
    LedgerEntryType.CREDIT_ADJUSTMENT: _credit_adjustment,
}


def ledger_description(entry: CustomerLedgerEntry, *, symbol: str) -> str:
    """`entry`'s description in the active language, amounts with the currency `symbol`;
    its stored text when its details say too little."""
    describe = DESCRIBED.get(entry.entry_type)
    if describe is None or not isinstance(entry.details, dict):
        return entry.description
    try:
        return describe(entry.details, symbol, isolate)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return entry.description


def ledger_record(entry_type: str, details: dict, *, symbol: str = "") -> str:
    """The English text stored with an entry of `entry_type` written with `details`: the
    sentence an English reader is shown, as plain text. `symbol`, the currency's, for the
    sentences that name an amount (a reversal's released payments)."""
    with written_in_english():
        return DESCRIBED[entry_type](details, symbol, str)
