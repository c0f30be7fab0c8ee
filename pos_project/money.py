"""Money: Decimal with two places, rounded half up, never float."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_DIGITS = 14


def quantize(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def money_field(**kwargs) -> models.DecimalField:
    kwargs.setdefault("max_digits", MAX_DIGITS)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(**kwargs)


def format_money(amount: Decimal, symbol: str) -> str:
    """`1234.5` -> `1,234.50 DH`: how amounts read on receipts and in the admin."""
    return f"{quantize(amount):,.2f} {symbol}"
