"""Which test customers the cleanup would touch, and what it would do with each.

The review `cleanup_mock_customers` prints, and the plan `mock_customers_cleanup` follows
under its locks: a candidate's history (its sales, ledger entries and payments), and
whether it is deleted, deactivated or skipped (the rules are in `customers.mock_cleanup`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from customers.mock_detection import mock_reasons
from customers.models import Customer
from pos_project.models import Business
from pos_project.money import ZERO, format_money
from receivables.models import CustomerLedgerEntry, CustomerPayment
from sales.models import Sale, SaleStatus

# What a candidate's plan is.
DELETE = "delete"
DEACTIVATE = "deactivate"
SKIP = "skip"

# Sales that never moved stock or money: no receipt number was ever allocated to them.
REMOVABLE_SALES = Q(status=SaleStatus.DRAFT) | Q(
    status=SaleStatus.CANCELLED, receipt_number__isnull=True, completed_at__isnull=True
)
# Sales that stay whatever happens: completed, or cancelled after completion.
KEPT_SALES = ~REMOVABLE_SALES


def is_removable_sale(sale: Sale) -> bool:
    """`REMOVABLE_SALES` for a loaded row."""
    if sale.status == SaleStatus.DRAFT:
        return True
    return (
        sale.status == SaleStatus.CANCELLED
        and sale.receipt_number is None
        and sale.completed_at is None
    )


# Large enough for any database's limit on query parameters.
_ID_CHUNK = 500

Progress = Callable[[int], object]


@dataclass
class CustomerHistory:
    """What a customer has done that a cleanup must respect."""

    completed_sales: int = 0
    # Completed with an on-account part: tied to the ledger, they never move to walk-in.
    on_account_sales: int = 0
    # Cancelled after completion: they carry a receipt number and stay.
    cancelled_receipts: int = 0
    # Drafts and never-completed cancellations: removed with the candidate.
    removable_sales: int = 0
    ledger_entries: int = 0
    payments: int = 0

    @property
    def has_history(self) -> bool:
        return bool(
            self.completed_sales or self.cancelled_receipts or self.ledger_entries or self.payments
        )


@dataclass
class ReviewRow:
    """One customer as the review lists it. `history` and `action` are set for candidates."""

    customer: Customer
    reasons: list[str]
    history: CustomerHistory | None = None
    action: str | None = None
    why: str = ""

    @property
    def is_candidate(self) -> bool:
        return bool(self.reasons)

    @property
    def sales_count(self) -> int:
        if self.history is not None:
            return self.history.completed_sales
        return self.customer.sales_count


def chunks(ids: list) -> Iterable[list]:
    for start in range(0, len(ids), _ID_CHUNK):
        yield ids[start : start + _ID_CHUNK]


def customer_histories(customer_ids: Iterable) -> dict[object, CustomerHistory]:
    """Each customer's history, counted from the sales, ledger and payment tables."""
    ids = list(customer_ids)
    histories = {pk: CustomerHistory() for pk in ids}
    for chunk in chunks(ids):
        sales = (
            Sale.objects.filter(customer_id__in=chunk)
            .values("customer_id")
            .annotate(
                completed=Count("id", filter=Q(status=SaleStatus.COMPLETED)),
                on_account=Count(
                    "id", filter=Q(status=SaleStatus.COMPLETED, on_account_amount__gt=0)
                ),
                cancelled_receipts=Count("id", filter=KEPT_SALES & Q(status=SaleStatus.CANCELLED)),
                removable=Count("id", filter=REMOVABLE_SALES),
            )
            .order_by()
        )
        for row in sales:
            history = histories[row["customer_id"]]
            history.completed_sales = row["completed"]
            history.on_account_sales = row["on_account"]
            history.cancelled_receipts = row["cancelled_receipts"]
            history.removable_sales = row["removable"]
        for model, attr in ((CustomerLedgerEntry, "ledger_entries"), (CustomerPayment, "payments")):
            counts = (
                model.objects.filter(customer_id__in=chunk)
                .values("customer_id")
                .annotate(n=Count("id"))
                .order_by()
            )
            for row in counts:
                setattr(histories[row["customer_id"]], attr, row["n"])
    return histories


def _money(amount: Decimal, business: Business) -> str:
    return format_money(amount, business.currency_symbol)


def cleanup_plan(
    *, customer: Customer, history: CustomerHistory, include_with_history: bool
) -> tuple[str, str]:
    """(action, why) for one candidate; `customer.business` must be loaded."""
    blockers = []
    balance = customer.outstanding_balance
    if balance > ZERO:
        blockers.append(f"owes {_money(balance, customer.business)}")
    elif balance < ZERO:
        blockers.append(f"holds {_money(-balance, customer.business)} of credit")
    if history.completed_sales:
        plural = "s" if history.completed_sales != 1 else ""
        blockers.append(f"has {history.completed_sales} completed sale{plural}")
    if blockers and not include_with_history:
        return SKIP, "; ".join(blockers)
    if not blockers and not history.has_history:
        return DELETE, ""
    moves_sales = include_with_history and history.completed_sales > history.on_account_sales
    if not customer.is_active and not moves_sales and not history.removable_sales:
        return SKIP, "already deactivated"
    if blockers:
        return DEACTIVATE, "; ".join(blockers) + ": " + _kept_text(history)
    kept = []
    if history.ledger_entries:
        kept.append(f"{history.ledger_entries} ledger entries")
    elif history.payments:
        kept.append(f"{history.payments} payments")
    if history.cancelled_receipts:
        kept.append(f"{history.cancelled_receipts} cancelled receipts")
    return DEACTIVATE, "has history: " + ", ".join(kept)


def _kept_text(history: CustomerHistory) -> str:
    moving = history.completed_sales - history.on_account_sales
    parts = []
    if moving:
        sales = "paid sale moves" if moving == 1 else "paid sales move"
        parts.append(f"{moving} {sales} to walk-in")
    if history.on_account_sales:
        sales = (
            "on-account sale stays" if history.on_account_sales == 1 else "on-account sales stay"
        )
        parts.append(f"{history.on_account_sales} {sales}")
    parts.append("ledger kept")
    return ", ".join(parts)


def is_walk_in_movable(sale: Sale) -> bool:
    """A completed sale paid in full at the till and never returned: nothing on the ledger
    points at it (a return may have credited the customer's account for it)."""
    return (
        sale.status == SaleStatus.COMPLETED
        and sale.on_account_amount == ZERO
        and sale.returned_total == ZERO
    )


def customers_to_scan(*, business: Business | None = None) -> QuerySet[Customer]:
    """Every customer a cleanup looks at, in the order the review lists them."""
    customers = Customer.objects.select_related("business")
    if business is not None:
        customers = customers.filter(business=business)
    return customers.order_by("business__name", "business_id", "name", "id")


def mock_customer_review(
    *,
    customers: QuerySet[Customer],
    include_all: bool = False,
    include_with_history: bool = False,
    progress: Progress | None = None,
) -> list[ReviewRow]:
    """The candidates among `customers` with their reasons and plan; every row if `include_all`."""
    rows = []
    for customer in customers.iterator(chunk_size=2000):
        reasons = mock_reasons(
            customer.name, customer.phone, region=customer.business.default_region
        )
        if reasons or include_all:
            rows.append(ReviewRow(customer=customer, reasons=reasons))
        if progress is not None:
            progress(1)
    candidates = [row for row in rows if row.is_candidate]
    histories = customer_histories(row.customer.pk for row in candidates)
    for row in candidates:
        row.history = histories[row.customer.pk]
        row.action, row.why = cleanup_plan(
            customer=row.customer,
            history=row.history,
            include_with_history=include_with_history,
        )
    return rows
