"""The back-office home's table of today's takings, by tender."""

from datetime import datetime, time

from django import template
from django.utils import timezone

from pos_project.admin_scoping import admin_business
from pos_project.money import ZERO, format_money
from receivables.models import CustomerPayment, DebtPaymentMethod
from sales.models import PaymentMethod, ReturnRefund, Sale, SaleStatus
from sales.till_totals import tender_moves

register = template.Library()


@register.inclusion_tag("sales/admin/todays_takings.html", takes_context=True)
def todays_takings(context):
    """Money counted on the day it moved, from midnight in the business's time zone, by the
    rule the drawers' reports use (`sales.till_totals.tender_moves`): what sales completed
    today took (cash net of change), less what was given back today (cancellations, even of
    an earlier day's sale, and returns), and the debt payments received today."""
    business = admin_business(context["request"])
    if business is None:
        return {"business": None}
    midnight = datetime.combine(timezone.localdate(timezone=business.zone), time(), business.zone)
    completed = Sale.objects.filter(
        business=business,
        status__in=[SaleStatus.COMPLETED, SaleStatus.CANCELLED],
        completed_at__gte=midnight,
    )
    moves = tender_moves(
        completed=completed,
        cancelled=Sale.objects.filter(
            business=business,
            status=SaleStatus.CANCELLED,
            completed_at__isnull=False,
            cancelled_at__gte=midnight,
        ),
        refunds=ReturnRefund.objects.filter(
            sale_return__business=business, sale_return__created_at__gte=midnight
        ),
        debt_payments=CustomerPayment.objects.filter(business=business, created_at__gte=midnight),
    )
    symbol = business.currency_symbol
    rows = []
    totals = {"sales": ZERO, "debt": ZERO}
    for method, label in PaymentMethod.choices:
        sales = moves.net(method)
        debt = moves.debt.get(method, ZERO)
        totals["sales"] += sales
        totals["debt"] += debt
        rows.append(
            {
                "label": label,
                "sales": format_money(sales, symbol),
                "debt": format_money(debt, symbol) if method in DebtPaymentMethod.values else "",
                "total": format_money(sales + debt, symbol),
            }
        )
    return {
        "business": business,
        "rows": rows,
        "total": {
            "sales": format_money(totals["sales"], symbol),
            "debt": format_money(totals["debt"], symbol),
            "total": format_money(totals["sales"] + totals["debt"], symbol),
        },
        "count": completed.filter(status=SaleStatus.COMPLETED).count(),
    }
