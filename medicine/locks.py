"""Row locks on medicines and stock: the one place each is locked for a change.

Where these sit in the order every change takes its locks: docs/locking.md (stock rows
after the customer and the sale, by primary key). Keys never change, so every lock here is
`FOR NO KEY UPDATE`.
"""

import uuid

from medicine.models import Medicine, Stock


def medicine_lock(*, medicine: Medicine) -> Medicine:
    """The medicine row again, locked until the end of the caller's transaction."""
    return Medicine.objects.select_for_update(no_key=True).get(pk=medicine.pk)


def stock_lock(*, stock: Stock) -> Stock:
    """One stock row again, locked."""
    return Stock.objects.select_for_update(no_key=True).get(pk=stock.pk)


def stocks_lock(*, storefront, medicine_ids) -> dict[uuid.UUID, Stock]:
    """The storefront's stock rows of `medicine_ids`, locked in primary-key order, by
    medicine id."""
    # Ordered by pk, after the caller's customer and sale rows: every code path takes stock
    # locks in the same order, so two sales sharing medicines cannot deadlock.
    rows = (
        Stock.objects.select_for_update(no_key=True)
        .filter(storefront=storefront, medicine_id__in=medicine_ids)
        .order_by("pk")
    )
    return {row.medicine_id: row for row in rows}
