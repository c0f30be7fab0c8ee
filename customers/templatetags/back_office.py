"""Template filters of the back-office pages."""

from django import template

from pos_project.money import format_money

register = template.Library()


@register.filter
def money(amount, symbol):
    """`{{ sale.total_amount|money:currency_symbol }}` -> `1,234.50 DH`; `-` for nothing."""
    if amount is None or amount == "":
        return "-"
    return format_money(amount, symbol)
