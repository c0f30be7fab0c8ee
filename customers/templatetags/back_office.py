"""Template filters of the back-office pages."""

from django import template

from customers.phones import display_phone
from pos_project.money import format_money

register = template.Library()


@register.filter
def money(amount, symbol):
    """`{{ sale.total_amount|money:currency_symbol }}` -> `1,234.50 DH`; `-` for nothing."""
    if amount is None or amount == "":
        return "-"
    return format_money(amount, symbol)


@register.filter
def phone(number, region):
    """`{{ customer.phone|phone:business.default_region }}` -> `06 12 34 56 78`; `-` for none."""
    return display_phone(number, region=region) or "-"
