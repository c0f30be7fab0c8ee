"""Row locks on medicines and stock: the one place each is locked for a change.

Where these sit in the order every change takes its locks: docs/locking.md (stock rows
after the customer and the sale, by primary key). Keys never change, so every lock here is
`FOR NO KEY UPDATE`.
"""

import uuid
from collections.abc import Mapping

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from medicine.models import Medicine, Stock
from pos_project.returning import update_returning


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


def stocks_take(*, storefront, quantities: Mapping[uuid.UUID, int]) -> set[uuid.UUID]:
    """Take `quantities` (units by medicine id) off the storefront's stock rows, in one
    statement that locks them in primary-key order; a row moves only if it holds enough.
    Answers the medicine ids whose row moved: fewer than asked means a shortage.

    The rows are locked by the statement's subquery (`SELECT ... ORDER BY id FOR NO KEY
    UPDATE`), in the order `stocks_lock` takes them, so two sales sharing medicines still
    cannot deadlock; the guard `quantity >= units` is checked on each row once it is held.
    """
    units = Case(
        *(
            When(medicine_id=medicine_id, then=Value(count))
            for medicine_id, count in quantities.items()
        ),
        output_field=IntegerField(),
    )
    locked = (
        Stock.objects.select_for_update(no_key=True)
        .filter(storefront=storefront, medicine_id__in=quantities)
        .order_by("pk")
        .values("pk")
    )
    moving = Stock.objects.filter(pk__in=locked, quantity__gte=units)
    return update_returning(
        moving,
        {"quantity": F("quantity") - units, "updated_at": timezone.now()},
        returning="medicine",
    )
