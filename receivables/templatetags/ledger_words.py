"""A ledger entry's description on a back-office page, in the reader's language."""

from django import template

from receivables.descriptions import ledger_description

register = template.Library()


@register.filter
def described(entry, symbol: str) -> str:
    """`{{ entry|described:currency_symbol }}`: see receivables.descriptions."""
    return ledger_description(entry, symbol=symbol)
