"""Giving a test customer a past: a ledger line, a sale, a balance, purchase statistics.

Written straight to the tables: these tests are about what the customer endpoints do with
such a customer, not about how sales and payments produce one. The business's kept figures
move with them, as the services move them.
"""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from receivables.models import CustomerLedgerEntry, LedgerEntryType
from receivables.summary import receivables_purchases_move, receivables_summary_move
from sales.models import Sale


def give_ledger_entry(customer: Customer, amount: str) -> CustomerLedgerEntry:
    """Append one ledger line and move the balance and the business's receivables summary
    with it, as the receivables do (what the customer owes counts as due today)."""
    amount = Decimal(amount)
    last = customer.ledger_entries.order_by("-sequence").first()
    before = last.balance_after if last else Decimal("0.00")
    balance = before + amount
    with transaction.atomic():
        entry = _append_entry(customer, last, amount, balance)
        due = max(balance, Decimal(0)) - max(before, Decimal(0))
        receivables_summary_move(
            business_id=customer.business_id,
            balance_before=before,
            balance_after=balance,
            due=[(timezone.now(), due)] if due else [],
        )
    customer.refresh_from_db()
    return entry


def _append_entry(customer, last, amount, balance) -> CustomerLedgerEntry:
    entry = CustomerLedgerEntry.objects.create(
        business=customer.business,
        customer=customer,
        sequence=(last.sequence if last else 0) + 1,
        entry_type=(
            LedgerEntryType.SALE_CHARGE if amount > 0 else LedgerEntryType.CREDIT_ADJUSTMENT
        ),
        amount=amount,
        balance_after=balance,
        description="test history",
        created_by_name="test",
    )
    Customer.objects.filter(pk=customer.pk).update(
        outstanding_balance=balance, ledger_sequence=entry.sequence
    )
    return entry


def give_sale(customer: Customer, *, storefront, user) -> Sale:
    """A draft sale that names the customer: history, though no money has moved."""
    return Sale.objects.create(
        business=customer.business, storefront=storefront, customer=customer, created_by=user
    )


def give_purchases(
    customer: Customer, *, total: str, count: int, last: datetime | None
) -> Customer:
    """Set the customer's purchase statistics, and move their business's sums with them."""
    customer.refresh_from_db()
    with transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(
            total_purchases=Decimal(total), sales_count=count, last_purchase_date=last
        )
        receivables_purchases_move(
            customer,
            purchases=Decimal(total) - customer.total_purchases,
            sales=count - customer.sales_count,
            buyer_moved=(customer.last_purchase_date, last),
        )
    customer.refresh_from_db()
    return customer
