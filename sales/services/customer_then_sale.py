"""The sale's customer, then the sale, locked in that order (docs/locking.md) by every path
that moves money on a customer's account for a sale: its completion, its cancellation and
a return."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import Subquery
from django.utils.translation import gettext as _

from customers.models import Customer
from pos_project.errors import Conflict
from sales.errors import ErrorCode
from sales.locks import sale_lock
from sales.models import Sale

Result = TypeVar("Result")


class _SaleChanged(Conflict):
    """The sale's customer changed between its reading and the sale's lock."""


def lock_customer_then_sale(sale: Sale) -> tuple[Customer | None, Sale]:
    """Lock the sale's customer, then the sale, in that order (the order of every path).

    Call it first in the atomic block that `customer_then_sale_retried` runs. The customer
    is read before the sale is locked, so a concurrent update_customer can change it in
    between: then the block is refused and rolled back, which releases both locks (row
    locks go with the savepoint or the transaction that took them), and run again, once,
    for the new customer. The block's own rollback does what a savepoint here would.
    """
    # The customer as the sale names it now, locked in the same statement.
    named = Sale.objects.filter(pk=sale.pk, business_id=sale.business_id)
    customer = (
        Customer.objects.select_for_update(no_key=True)
        .filter(pk=Subquery(named.values("customer_id")))
        .first()
    )
    locked = sale_lock(sale)
    if locked.customer_id != (customer.pk if customer else None):
        raise _SaleChanged(
            "Sale is changing",
            _(
                "The sale's customer changed while it was being completed. Reload the sale "
                "and try again."
            ),
            code=ErrorCode.SALE_CHANGED,
        )
    return customer, locked


def customer_then_sale_retried(block: Callable[[], Result]) -> Result:
    """`block()`, a function whose atomic block starts with `lock_customer_then_sale`; run
    once more if the sale's customer changed meanwhile, and a 409 `sale_changed` if it
    changed again."""
    try:
        return block()
    except _SaleChanged:
        return block()
