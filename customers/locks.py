"""Row locks on customers: the one place a customer row is locked for a change.

Where these sit in the order every change takes its locks: docs/locking.md (the customer
comes right after the request's Idempotency-Key, before any sale). A customer's key never
changes, so the lock is `FOR NO KEY UPDATE`: rows pointing at the customer (a payment, a
ledger entry, an audit entry) are inserted without waiting on it.
"""

from customers.models import Customer, CustomerCounts


def customer_lock(*, customer: Customer) -> Customer:
    """The customer row again, locked until the end of the caller's transaction."""
    locked = Customer.objects.select_for_update(no_key=True).get(pk=customer.pk)
    if Customer.business.is_cached(customer):
        # The business the caller already holds: reading it again would cost a query.
        locked.business = customer.business
    return locked


def customers_lock_for_removal(customer_ids: list) -> list[Customer]:
    """The customers `customer_ids`, locked `FOR UPDATE` (a removal deletes rows, which a
    key-share lock would not keep out) in primary-key order, so that two removals cannot
    deadlock on each other. Only the customer rows: their businesses are not locked."""
    return list(Customer.objects.select_for_update().filter(pk__in=customer_ids).order_by("pk"))


def customer_lock_in_business(*, business_id, customer_id) -> Customer | None:
    """The business's customer `customer_id`, locked; None when it has no such customer."""
    return (
        Customer.objects.select_for_update(no_key=True)
        .filter(pk=customer_id, business_id=business_id)
        .first()
    )


def customer_counts_lock(*, business) -> CustomerCounts:
    """The business's customer counts, locked; made on their first change."""
    CustomerCounts.objects.get_or_create(business=business)
    return CustomerCounts.objects.select_for_update(no_key=True).get(business=business)
