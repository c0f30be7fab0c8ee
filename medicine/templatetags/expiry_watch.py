"""The back-office home's watch on the shelves: lots expiring within 30 days, and expired
units still counted in stock."""

from django import template
from django.utils import timezone

from medicine.lot_selectors import EXPIRY_WINDOWS, expiry_counts
from pos_project.admin_scoping import admin_business

register = template.Library()


@register.inclusion_tag("medicine/admin/expiry_watch.html", takes_context=True)
def expiry_watch(context):
    business = admin_business(context["request"])
    if business is None:
        return {"business": None}
    # The admin runs in the business's time zone: today is its local date.
    counts = expiry_counts(business, today=timezone.localdate())
    return {"business": business, "counts": counts, "days": EXPIRY_WINDOWS[0]}
