"""A return's lines as the caller names them: read and checked before anything is locked,
then checked against what the sale sold and what earlier returns took back.

Each refusal is a 400 naming the line ("Line 2: ..."), or one 409 naming every line that
asks for more than can come back; nothing has changed when one is raised.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pos_project.bidi import isolate
from pos_project.errors import Conflict, invalid_field
from sales.errors import ErrorCode
from sales.models import CHOSEN_REFUND_METHODS, Sale, SaleItem
from sales.services.checks import MAX_QUANTITY

# Enough for any receipt; keeps one request's work bounded.
MAX_RETURN_LINES = 200


@dataclass(frozen=True)
class ReturnLine:
    """Units of one line of the sale to bring back."""

    item: uuid.UUID
    quantity: int
    restock: bool = True


def _bad_line(index: int, message: str, code=ErrorCode.INVALID_RETURN_LINE):
    return invalid_field(
        "items",
        _("Line %(number)s: %(problem)s") % {"number": index + 1, "problem": message},
        code=code,
    )


def return_lines_parsed(lines: Iterable[Mapping[str, Any] | ReturnLine]) -> list[ReturnLine]:
    parsed: list[ReturnLine] = []
    seen: set[uuid.UUID] = set()
    for index, line in enumerate(lines):
        if isinstance(line, ReturnLine):
            line = {"item": line.item, "quantity": line.quantity, "restock": line.restock}
        try:
            item = uuid.UUID(str(line.get("item")))
        except ValueError:
            raise _bad_line(index, _("`item` must be the id of a line of this sale.")) from None
        quantity = line.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise _bad_line(
                index, _("the quantity must be a whole number."), ErrorCode.INVALID_QUANTITY
            )
        if not 1 <= quantity <= MAX_QUANTITY:
            raise _bad_line(
                index,
                _("the quantity must be between 1 and %(most)s.") % {"most": MAX_QUANTITY},
                ErrorCode.INVALID_QUANTITY,
            )
        restock = line.get("restock", True)
        if not isinstance(restock, bool):
            raise _bad_line(index, _("`restock` must be true or false."))
        if item in seen:
            raise _bad_line(index, _("each line of the sale may be named once per return."))
        seen.add(item)
        parsed.append(ReturnLine(item=item, quantity=quantity, restock=restock))
    if not parsed:
        raise invalid_field(
            "items", _("Name at least one line to return."), code=ErrorCode.EMPTY_RETURN
        )
    if len(parsed) > MAX_RETURN_LINES:
        raise invalid_field(
            "items",
            _("A return has at most %(most)s lines.") % {"most": MAX_RETURN_LINES},
            code=ErrorCode.INVALID_RETURN_LINE,
        )
    return parsed


def refund_method_checked(refund_method: str | None) -> str | None:
    if refund_method is not None and refund_method not in CHOSEN_REFUND_METHODS:
        raise invalid_field(
            "refund_method",
            _("The refund method must be one of %(methods)s.")
            % {"methods": ", ".join(str(m) for m in CHOSEN_REFUND_METHODS)},
            code=ErrorCode.INVALID_REFUND_METHOD,
        )
    return refund_method


def returned_items(sale: Sale, lines: list[ReturnLine]) -> list[tuple[SaleItem, ReturnLine]]:
    """Each line with the sale's item it names, refused whole if any goes past what was sold.

    Read after the sale is locked: every return locks the sale first, so what earlier
    returns took back is final here.
    """
    items = {
        item.pk: item
        for item in SaleItem.objects.filter(sale=sale, pk__in=[line.item for line in lines])
    }
    for index, line in enumerate(lines):
        if line.item not in items:
            raise _bad_line(index, _("this sale has no such line."), ErrorCode.UNKNOWN_SALE_ITEM)
    over = [
        {
            "item": str(line.item),
            "name": items[line.item].medicine_name,
            "requested": line.quantity,
            "returnable": items[line.item].quantity - items[line.item].returned_quantity,
        }
        for line in lines
        if line.quantity > items[line.item].quantity - items[line.item].returned_quantity
    ]
    if over:
        listed = "; ".join(
            _("%(medicine)s (asked %(asked)s, %(left)s can still be returned)")
            % {
                "medicine": isolate(row["name"]),
                "asked": row["requested"],
                "left": row["returnable"],
            }
            for row in over
        )
        raise Conflict(
            "Return exceeds what was sold",
            _(
                "%(lines)s. A line takes back at most what was sold less what earlier returns "
                "took back."
            )
            % {"lines": listed},
            code=ErrorCode.RETURN_EXCEEDS_SOLD,
            lines=over,
        )
    return [(items[line.item], line) for line in lines]
