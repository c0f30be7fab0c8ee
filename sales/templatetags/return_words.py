"""How a return gave its money back, in the words its slip and the Returns list use."""

from django import template

from sales.services.return_amounts import refund_lines, refund_parts_joined

register = template.Library()


@register.filter
def refunds_in_words(sale_return) -> str:
    """`{{ sale_return|refunds_in_words }}` -> "25.40 DH off what is owed on S-000049"."""
    return refund_parts_joined(refund_lines(sale_return))
