"""The back-office home's credit alerts: the customers worth a call today."""

from django import template
from django.urls import reverse

from pos_project.admin_scoping import admin_business
from receivables.credit_alerts import NEAR_LIMIT_SHARE, OVERDUE_ALERT_DAYS, credit_alerts

register = template.Library()


@register.inclusion_tag("receivables/admin/credit_alerts.html", takes_context=True)
def credit_alerts_panel(context):
    """Customers at NEAR_LIMIT_SHARE of their credit limit or more, and customers owing on
    a sale older than OVERDUE_ALERT_DAYS days: the first few of each with what they owe and
    a number to call, and a link to the customers list filtered to all of them."""
    business = admin_business(context["request"])
    if business is None:
        return {"business": None}
    changelist = reverse("admin:customers_customer_changelist")
    return {
        "business": business,
        "alerts": credit_alerts(business=business),
        "near_limit_percent": int(NEAR_LIMIT_SHARE * 100),
        "overdue_days": OVERDUE_ALERT_DAYS,
        "near_limit_url": f"{changelist}?owes=near_limit",
        "overdue_url": f"{changelist}?owes=overdue",
    }
