"""The back-office home's line about today's takings, by tender."""

from datetime import datetime, time
from decimal import Decimal

from django import template
from django.db.models import Sum
from django.utils import timezone

from pos_project.admin_scoping import admin_business
from pos_project.money import ZERO, format_money
from receivables.models import CustomerPayment, DebtPaymentMethod
from sales.models import Payment, PaymentMethod, RefundMethod, ReturnRefund, Sale, SaleStatus

register = template.Library()

# The tender row a return's refund comes off: money back by the same means, and what came
# off the amount due or went back as credit off what was sold on account.
REFUND_TENDER = {
    RefundMethod.CASH: PaymentMethod.CASH,
    RefundMethod.CARD: PaymentMethod.CARD,
    RefundMethod.MOBILE_MONEY: PaymentMethod.MOBILE_MONEY,
    RefundMethod.AMOUNT_DUE: PaymentMethod.ON_ACCOUNT,
    RefundMethod.ACCOUNT: PaymentMethod.ON_ACCOUNT,
}


@register.inclusion_tag("sales/admin/todays_takings.html", takes_context=True)
def todays_takings(context):
    """What the business's sales completed today were paid with (cash net of the change
    given, and still standing: a sale cancelled since is not a taking), less what returns
    gave back today, and the debt payments received today, from midnight in the business's
    time zone."""
    business = admin_business(context["request"])
    if business is None:
        return {"business": None}
    midnight = datetime.combine(timezone.localdate(timezone=business.zone), time(), business.zone)
    sales = Sale.objects.filter(
        business=business, status=SaleStatus.COMPLETED, completed_at__gte=midnight
    )
    tenders = dict(
        Payment.objects.filter(sale__in=sales)
        .values("method")
        .annotate(total=Sum("amount"))
        .values_list("method", "total")
    )
    change = sales.aggregate(change=Sum("change_due"))["change"] or ZERO
    refunded: dict[str, Decimal] = {}
    for method, total in (
        ReturnRefund.objects.filter(
            sale_return__business=business, sale_return__created_at__gte=midnight
        )
        .values("method")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("method", "total")
    ):
        tender = REFUND_TENDER[method]
        refunded[tender] = refunded.get(tender, ZERO) + total
    debt = dict(
        CustomerPayment.objects.filter(business=business, created_at__gte=midnight)
        .values("method")
        .annotate(total=Sum("amount"))
        .values_list("method", "total")
    )
    symbol = business.currency_symbol

    def money(value):
        return format_money(value or ZERO, symbol)

    rows = [
        {
            "label": label,
            "sales": money(
                tenders.get(method, ZERO)
                - (change if method == PaymentMethod.CASH else ZERO)
                - refunded.get(method, ZERO)
            ),
            "debt": money(debt.get(method)) if method in DebtPaymentMethod.values else "",
        }
        for method, label in PaymentMethod.choices
    ]
    return {"business": business, "rows": rows, "count": sales.count()}
