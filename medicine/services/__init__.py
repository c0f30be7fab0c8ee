"""Every change to the catalogue and its stock.

- `catalogue`: a medicine added, edited (details and prices, audited apart) or removed;
- `stock`: a manager's adjustment, and a sale taking from or giving back to the shelf.
"""

from medicine.services.catalogue import (
    EDITABLE_FIELDS,
    medicine_create,
    medicine_delete,
    medicine_update,
)
from medicine.services.stock import (
    MAX_ON_HAND,
    stock_adjust,
    stock_decrement_for_sale,
    stock_restore_for_sale,
)

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_ON_HAND",
    "medicine_create",
    "medicine_delete",
    "medicine_update",
    "stock_adjust",
    "stock_decrement_for_sale",
    "stock_restore_for_sale",
]
