"""Figures kept on one row per key (a business's summary, a slot), moved by atomic increments.

Shared by every app that keeps such a row, so each of them adds to it the same way: in the
transaction of the change, by one UPDATE, with the row made on its first change.
"""

from decimal import Decimal

from django.db.models import F, Q

from pos_project.money import CENT, amount_too_large


def _largest(model, name: str) -> Decimal:
    """The largest amount the money column `name` of `model` holds."""
    field = model._meta.get_field(name)
    return Decimal(10) ** (field.max_digits - field.decimal_places) - CENT


def kept_figures_add(model, key: dict, *, what: str, **amounts) -> None:
    """Add `amounts` to the row `key` names, with one atomic UPDATE.

    A row's first change creates it at zero first (`ON CONFLICT DO NOTHING`, so whichever
    writer gets there first wins and the other simply adds to it). Every later change is a
    plain UPDATE, which takes the row lock like any other, in the ORM on either database.
    The UPDATE only matches while every money sum stays within its column, so a sum that
    would overflow changes nothing and is refused with a 400 naming the limit (`what`).
    """
    changes = {name: F(name) + value for name, value in amounts.items()}
    within = Q()
    for name, value in amounts.items():
        if isinstance(value, Decimal) and value > 0:
            within &= Q(**{f"{name}__lte": _largest(model, name) - value})
        elif isinstance(value, Decimal) and value < 0:
            within &= Q(**{f"{name}__gte": -_largest(model, name) - value})
    rows = model.objects.filter(**key)
    if rows.filter(within).update(**changes):
        return
    model.objects.bulk_create([model(**key)], ignore_conflicts=True)
    if not rows.filter(within).update(**changes):
        raise amount_too_large(field="amount", what=what)
