"""Every change to the catalogue and its stock.

- `catalogue`: a medicine added, edited (details and prices, audited apart) or removed;
- `stock`: a manager's adjustment of a storefront's stock, for clients that know no lots;
- `lots`: receiving a lot, adjusting, writing off and recalling one;
- `sale_stock`: a sale taking from the shelf lot by lot, a return or cancellation giving back.
"""

from medicine.services.catalogue import (
    EDITABLE_FIELDS,
    medicine_create,
    medicine_delete,
    medicine_update,
)
from medicine.services.lots import (
    LotAdjustReason,
    lot_adjust,
    lot_recall,
    lot_receive,
    lot_write_off,
)
from medicine.services.sale_stock import (
    ShelfLine,
    stock_decrement_for_sale,
    stock_restore_for_sale,
)
from medicine.services.stock import MAX_ON_HAND, stock_adjust

__all__ = [
    "EDITABLE_FIELDS",
    "MAX_ON_HAND",
    "LotAdjustReason",
    "ShelfLine",
    "lot_adjust",
    "lot_recall",
    "lot_receive",
    "lot_write_off",
    "medicine_create",
    "medicine_delete",
    "medicine_update",
    "stock_adjust",
    "stock_decrement_for_sale",
    "stock_restore_for_sale",
]
