"""Reads behind the customer's profile page in the back office.

Each section shows the newest rows only, in a fixed number of queries however long the
customer's history grows; the counts say how much more there is, and the API's statement
(CSV) has the rest.
"""

from dataclasses import dataclass

from django.db.models import F, Prefetch

from customers.models import Customer
from receivables.models import CustomerLedgerEntry, CustomerPayment, ReceivableAllocation
from sales.models import Return, Sale, SaleStatus

SECTION_ROWS = 25


@dataclass(frozen=True)
class CustomerProfile:
    purchases: list[Sale]
    purchases_count: int
    payments: list[CustomerPayment]
    payments_count: int
    # Oldest first, as a statement reads, ending with the newest entry.
    statement: list[CustomerLedgerEntry]
    statement_count: int
    returns: list[Return]
    returns_count: int


def customer_purchase_history(*, customer: Customer, limit: int = SECTION_ROWS) -> list[Sale]:
    """Completed and cancelled sales, newest first (drafts were never sold)."""
    sales = (
        Sale.objects.filter(customer=customer)
        .exclude(status=SaleStatus.DRAFT)
        .order_by(F("completed_at").desc(nulls_last=True), "-created_at", "-id")
    )
    return list(sales[:limit])


def customer_payments(*, customer: Customer, limit: int = SECTION_ROWS) -> list[CustomerPayment]:
    """Payments received, newest first, each with the sales it settled."""
    payments = (
        CustomerPayment.objects.filter(customer=customer)
        .select_related("ledger_entry")
        .prefetch_related(
            Prefetch(
                "ledger_entry__allocations",
                queryset=ReceivableAllocation.objects.select_related("sale").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("-created_at", "-id")
    )
    return list(payments[:limit])


def customer_statement(
    *, customer: Customer, limit: int = SECTION_ROWS
) -> list[CustomerLedgerEntry]:
    """The newest `limit` ledger entries, oldest first, each with its running balance."""
    entries = customer.ledger_entries.select_related("sale").order_by("-sequence")
    return list(reversed(entries[:limit]))


def customer_returns(*, customer: Customer, limit: int = SECTION_ROWS) -> list[Return]:
    """Goods the customer brought back, newest first, each with how it was refunded."""
    returns = (
        Return.objects.filter(sale__customer=customer)
        .select_related("sale__business")
        .prefetch_related("refunds")
        .order_by("-created_at", "-id")
    )
    return list(returns[:limit])


def customer_profile(*, customer: Customer, limit: int = SECTION_ROWS) -> CustomerProfile:
    return CustomerProfile(
        purchases=customer_purchase_history(customer=customer, limit=limit),
        purchases_count=Sale.objects.filter(customer=customer)
        .exclude(status=SaleStatus.DRAFT)
        .count(),
        payments=customer_payments(customer=customer, limit=limit),
        payments_count=CustomerPayment.objects.filter(customer=customer).count(),
        statement=customer_statement(customer=customer, limit=limit),
        statement_count=customer.ledger_entries.count(),
        returns=customer_returns(customer=customer, limit=limit),
        returns_count=Return.objects.filter(sale__customer=customer).count(),
    )
