"""Row locks on medicines, stock and lots: the one place each is locked for a change.

Where these sit in the order every change takes its locks: docs/locking.md (stock rows
after the customer and the sale, by primary key; then the lots of those stock rows, by
primary key). Keys never change, so every lock here is `FOR NO KEY UPDATE`.
"""

import uuid
from collections.abc import Iterable, Mapping
from datetime import date

from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from medicine.models import Lot, Medicine, SaleItemLot, Stock
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
    # Named once, so that the guard and the decrement share one resolved expression.
    moving = (
        Stock.objects.filter(pk__in=locked).annotate(units=units).filter(quantity__gte=F("units"))
    )
    return update_returning(
        moving,
        {"quantity": F("quantity") - F("units"), "updated_at": timezone.now()},
        returning="medicine",
    )


def lots_lock(*, storefront, medicine_ids) -> list[Lot]:
    """The storefront's lots of `medicine_ids`, locked in primary-key order. Taken after
    the stock rows of the same medicines (`stock_lock`, `stocks_lock`, `stocks_take`), as
    every change of a lot also changes its stock row."""
    return list(
        Lot.objects.select_for_update(no_key=True)
        .filter(storefront=storefront, medicine_id__in=medicine_ids)
        .order_by("pk")
    )


def lot_siblings_lock(*, lot: Lot) -> list[Lot]:
    """Every storefront's lot of `lot`'s medicine and number (a recall reaches them all):
    their stock rows, then the lots, each in primary-key order."""
    storefronts = Lot.objects.filter(medicine_id=lot.medicine_id, lot_number=lot.lot_number).values(
        "storefront_id"
    )
    list(
        Stock.objects.select_for_update(no_key=True)
        .filter(medicine_id=lot.medicine_id, storefront_id__in=storefronts)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(
        Lot.objects.select_for_update(no_key=True)
        .filter(medicine_id=lot.medicine_id, lot_number=lot.lot_number)
        .select_related("storefront")
        .order_by("pk")
    )


def lot_lock(*, lot: Lot) -> Lot:
    """One lot again, locked (after its stock row)."""
    return Lot.objects.select_for_update(no_key=True).select_related("medicine").get(pk=lot.pk)


# Records, for each sale line, the units it takes from each sellable lot of its medicine,
# earliest expiry first, the lot without expiry last, and answers them. The lots are locked
# by the innermost SELECT, in primary-key order, after the caller locked their stock rows.
# Placeholders: {new_id} (a new key, per database), {lock}, {medicines} and {lines}.
_TAKE_FEFO = """
INSERT INTO {takes} (id, item_id, lot_id, quantity, returned_quantity)
SELECT {new_id}, ranked.item_id, ranked.id,
       CASE WHEN ranked.wanted - ranked.before >= ranked.quantity
            THEN ranked.quantity ELSE ranked.wanted - ranked.before END,
       0
FROM (
    SELECT held.id, held.quantity, line.column1 AS item_id, line.column3 AS wanted,
           SUM(held.quantity) OVER (
               PARTITION BY held.medicine_id
               ORDER BY held.undated, held.expiry_date, held.received_at, held.id
           ) - held.quantity AS before
    FROM (
        SELECT id, medicine_id, quantity, expiry_date, received_at,
               CASE WHEN expiry_date IS NULL THEN 1 ELSE 0 END AS undated
        FROM {lots}
        WHERE storefront_id = %s AND medicine_id IN ({medicines}) AND quantity > 0
          AND recalled_at IS NULL AND (expiry_date IS NULL OR expiry_date >= %s)
        ORDER BY id{lock}
    ) held
    JOIN (VALUES {lines}) AS line ON line.column2 = held.medicine_id
) ranked
WHERE ranked.before < ranked.wanted
RETURNING item_id, lot_id, quantity
"""


def lots_take_fefo(
    *, storefront, lines: Iterable[tuple[uuid.UUID, uuid.UUID, int]], today: date
) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """Record what each `(item id, medicine id, units)` line takes from the storefront's
    lots sellable on `today` (neither expired nor recalled), earliest expiry first, in one
    statement that locks those lots in primary-key order; answers `(item id, lot id, units)`
    per lot taken. Lines must name distinct medicines. The lots themselves are not yet
    decremented (`lots_shift`): a line that finds too few takes what there is, and its
    caller refuses the sale.
    """
    lines = list(lines)
    pk = Lot._meta.pk
    uuid_value = pk.get_db_prep_value
    medicines = [uuid_value(medicine_id, connection) for _, medicine_id, _ in lines]
    values = []
    for item_id, medicine_id, units in lines:
        values += [uuid_value(item_id, connection), uuid_value(medicine_id, connection), units]
    postgres = connection.vendor == "postgresql"
    sql = _TAKE_FEFO.format(
        takes=connection.ops.quote_name(SaleItemLot._meta.db_table),
        lots=connection.ops.quote_name(Lot._meta.db_table),
        new_id="gen_random_uuid()" if postgres else "lower(hex(randomblob(16)))",
        lock=" FOR NO KEY UPDATE" if postgres else "",
        medicines=", ".join(["%s"] * len(medicines)),
        lines=", ".join(["(%s, %s, CAST(%s AS integer))"] * len(lines)),
    )
    params = [uuid_value(storefront.pk, connection), *medicines, today, *values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(pk.to_python(item), pk.to_python(lot), units) for item, lot, units in rows]


def lots_shift(changes: Mapping[uuid.UUID, int]) -> None:
    """Move each lot of `changes` (locked by the caller) by its own number of units, in one
    UPDATE."""
    Lot.objects.filter(pk__in=changes).update(
        quantity=F("quantity")
        + Case(
            *(When(pk=lot_id, then=Value(units)) for lot_id, units in changes.items()),
            output_field=IntegerField(),
        )
    )
