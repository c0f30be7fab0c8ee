"""Money: Decimal with two places, rounded half up, never float."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pos_project.errors import DomainError, ErrorCode, Invalid

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_DIGITS = 14
# The largest amount a money column holds: MAX_DIGITS digits, two of them after the point.
LARGEST_AMOUNT = Decimal(10) ** (MAX_DIGITS - 2) - CENT
# Digits of a sum over many rows (a report's totals): a million rows at the largest amount.
SUM_MAX_DIGITS = MAX_DIGITS + 6


def quantize(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def amount_too_large(*, field: str, what: str, value: Decimal | None = None) -> DomainError:
    """The 400 for a sum past `LARGEST_AMOUNT`, naming the limit."""
    # A value past any sum this system makes (an amount typed as 1e30) is not repeated: it
    # would not even round to cents.
    shown = value is not None and abs(value) < 10**SUM_MAX_DIGITS
    if shown:
        message = _(
            "%(what)s would come to %(value)s, beyond the largest amount this system keeps "
            "(%(limit)s). Send a smaller amount."
        ) % {"what": what, "value": quantize(value), "limit": LARGEST_AMOUNT}
    else:
        message = _(
            "%(what)s would exceed the largest amount this system keeps (%(limit)s). Send a "
            "smaller amount."
        ) % {"what": what, "limit": LARGEST_AMOUNT}
    return Invalid(
        "Amount too large",
        message,
        code=ErrorCode.AMOUNT_TOO_LARGE,
        fields={field: [message]},
        limit=str(LARGEST_AMOUNT),
    )


def amount_within_limit(value: Decimal, *, field: str, what: str) -> Decimal:
    """`value` when a money column can hold it; otherwise a 400 naming the limit.

    Every total, balance and summary is checked before it is written, so that no sum of
    amounts that each passed validation overflows its column.
    """
    if abs(value) > LARGEST_AMOUNT:
        raise amount_too_large(field=field, what=what, value=value)
    return value


def money_field(**kwargs) -> models.DecimalField:
    kwargs.setdefault("max_digits", MAX_DIGITS)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(**kwargs)


def format_money(amount: Decimal, symbol: str) -> str:
    """`1234.5` -> `1,234.50 DH` in English, `1 234,50 DH` in French: how amounts read on
    receipts and in the back office, in the active language.

    The separators come from the language's format module (pos_project/formats/); the
    symbol's place and the space before it from the catalogue, where each language writes
    the pattern as its shops do. Digits stay Western in every language.
    """
    number = formats.number_format(quantize(amount), 2, use_l10n=True, force_grouping=True)
    # Translators: how an amount and its currency symbol are written together, e.g.
    # "1 234,50 DH"; use a no-break space where a space must not break the line.
    return pgettext("money", "%(amount)s %(symbol)s") % {"amount": number, "symbol": symbol}
