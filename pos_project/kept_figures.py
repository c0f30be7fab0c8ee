"""Figures kept on one row per key (a business's summary, a slot), moved by atomic increments.

Shared by every app that keeps such a row, so each of them adds to it the same way: in the
transaction of the change, by one UPDATE, with the row made on its first change.
"""

from decimal import Decimal

from django.db.models import Case, F, Q, Value, When

from pos_project.money import CENT, amount_too_large
from pos_project.returning import update_returning


def _largest(model, name: str) -> Decimal:
    """The largest amount the money column `name` of `model` holds."""
    field = model._meta.get_field(name)
    return Decimal(10) ** (field.max_digits - field.decimal_places) - CENT


def _within(model, amounts: dict) -> Q:
    """The rows whose money sums stay within their columns once `amounts` are added."""
    within = Q()
    for name, value in amounts.items():
        if isinstance(value, Decimal) and value > 0:
            within &= Q(**{f"{name}__lte": _largest(model, name) - value})
        elif isinstance(value, Decimal) and value < 0:
            within &= Q(**{f"{name}__gte": -_largest(model, name) - value})
    return within


def kept_figures_add(model, key: dict, *, what: str, **amounts) -> None:
    """Add `amounts` to the row `key` names, with one atomic UPDATE.

    A row's first change creates it at zero first (`ON CONFLICT DO NOTHING`, so whichever
    writer gets there first wins and the other simply adds to it). Every later change is a
    plain UPDATE, which takes the row lock like any other, in the ORM on either database.
    The UPDATE only matches while every money sum stays within its column, so a sum that
    would overflow changes nothing and is refused with a 400 naming the limit (`what`).
    """
    changes = {name: F(name) + value for name, value in amounts.items()}
    within = _within(model, amounts)
    rows = model.objects.filter(**key)
    if rows.filter(within).update(**changes):
        return
    model.objects.bulk_create([model(**key)], ignore_conflicts=True)
    if not rows.filter(within).update(**changes):
        raise amount_too_large(field="amount", what=what)


def _add_to_rows(model, rows, *, by: str, changes: dict) -> set:
    """Add `changes` (amounts by row, the rows named by their `by` value) to `rows` in one
    UPDATE, and answer the `by` values of the rows it moved."""
    names = sorted({name for amounts in changes.values() for name in amounts})
    values = {}
    for name in names:
        field = model._meta.get_field(name)
        zero = Decimal(0) if isinstance(field.get_default(), Decimal) else 0
        values[name] = F(name) + Case(
            *(
                When(**{by: key}, then=Value(amounts[name], output_field=field))
                for key, amounts in changes.items()
                if name in amounts
            ),
            default=Value(zero, output_field=field),
            output_field=field,
        )
    return update_returning(rows, values, returning=by)


def kept_figures_add_rows(model, key: dict, *, by: str, changes: dict, what: str) -> None:
    """Add to several rows of `key` at once: `changes` maps each row's `by` value to the
    amounts added to it (`{starts_at: {"amount_due": ..., "buyers": ...}}`).

    One UPDATE moves every row that exists, with the same overflow guard as
    `kept_figures_add`, row by row. Rows it did not move are made at zero first, as there,
    and only they are updated again; a row still not moved would overflow, and is refused.
    """
    if not changes:
        return

    def guarded(keys):
        within = Q()
        for value in keys:
            within |= Q(**{by: value}) & _within(model, changes[value])
        return model.objects.filter(**key).filter(within)

    missing = set(changes) - _add_to_rows(model, guarded(changes), by=by, changes=changes)
    if not missing:
        return
    model.objects.bulk_create(
        [model(**key, **{by: value}) for value in sorted(missing)], ignore_conflicts=True
    )
    retry = {value: changes[value] for value in missing}
    if _add_to_rows(model, guarded(retry), by=by, changes=retry) != missing:
        raise amount_too_large(field="amount", what=what)
