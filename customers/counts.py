"""A business's count of active and deactivated customers, kept as customers change.

Counting them on every dashboard read costs a scan that grows with the customers; the kept
row costs the same at any size. Every change that creates, deletes, deactivates or
reactivates a customer moves it in its own transaction, by one atomic increment, after the
customer rows are locked and before the audit entry (docs/locking.md: the customer counts
come after the sequences, before the receivables summary and the audit chain head).
`check_ledgers` proves it against the customers; `customer_counts_rebuild` recomputes it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from customers.locks import customer_counts_lock
from customers.models import Customer, CustomerCounts
from pos_project.kept_figures import kept_figures_add
from pos_project.models import Business


def customer_counts_move(*, business_id, active: int = 0, deactivated: int = 0) -> None:
    """Add one change's customers to their business's counts (negative: removed)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("The customer counts move only inside the changing transaction.")
    if not (active or deactivated):
        return
    kept_figures_add(
        CustomerCounts,
        {"business_id": business_id},
        what=_("The business's customer counts"),
        active=active,
        deactivated=deactivated,
    )


def customer_counts_of(customer: Customer, sign: int = 1) -> dict:
    """What `customer` adds to its business's counts (`sign` -1: what removing it takes)."""
    return {"active": sign} if customer.is_active else {"deactivated": sign}


def customer_counts_switch(*, business_id, is_active: bool) -> None:
    """Move one customer between the business's active and deactivated counts."""
    step = 1 if is_active else -1
    customer_counts_move(business_id=business_id, active=step, deactivated=-step)


@dataclass(frozen=True)
class CountFigures:
    active: int = 0
    deactivated: int = 0


def customer_counts_from_sources(*, business_ids) -> dict:
    """What each business's counts should be, from its customers: one grouped query."""
    return {
        row["business_id"]: CountFigures(row["active"], row["deactivated"])
        for row in Customer.objects.filter(business__in=business_ids)
        .order_by()
        .values("business_id")
        .annotate(
            active=Count("id", filter=Q(is_active=True)),
            deactivated=Count("id", filter=Q(is_active=False)),
        )
    }


def customer_counts_kept(*, business_ids) -> dict:
    """What each business's kept counts hold now."""
    return {
        counts.business_id: CountFigures(counts.active, counts.deactivated)
        for counts in CustomerCounts.objects.filter(business__in=business_ids)
    }


def customer_counts_read(*, business: Business) -> CountFigures:
    """The business's kept counts: one query at any size."""
    counts = CustomerCounts.objects.filter(business=business).first()
    return CountFigures(counts.active, counts.deactivated) if counts else CountFigures()


def customer_counts_rebuild(*, business: Business) -> None:
    """Recompute `business`'s counts from its customers: for the bulk loaders, and for an
    administrator after `check_ledgers` found a difference. The row is locked first, so
    writers queue behind the rebuild and then add their own changes to what it counted."""
    with transaction.atomic():
        counts = customer_counts_lock(business=business)
        figures = customer_counts_from_sources(business_ids=[business.pk]).get(
            business.pk, CountFigures()
        )
        counts.active = figures.active
        counts.deactivated = figures.deactivated
        counts.save()
