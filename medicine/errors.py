"""The codes of the `medicine` app's refusals: stable strings that clients match on.

The catalogue: prices, barcodes and stock.
"""

from pos_project.errors import ErrorCodes


class ErrorCode(ErrorCodes):
    BARCODE_TAKEN = "barcode_taken"
    EXPIRY_IN_PAST = "expiry_in_past"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID_DELTA = "invalid_delta"
    INVALID_LOT = "invalid_lot"
    INVALID_PRICE = "invalid_price"
    LOT_EXPIRY_MISMATCH = "lot_expiry_mismatch"
    LOT_NOT_EXPIRED = "lot_not_expired"
    LOT_RECALLED = "lot_recalled"
    REASON_REQUIRED = "reason_required"
    STOCK_EXPIRED = "stock_expired"
    STOCK_RECALLED = "stock_recalled"
    STOCK_TOO_LARGE = "stock_too_large"
    UNKNOWN_STOREFRONT = "unknown_storefront"
    WHOLESALE_ABOVE_PUBLIC_PRICE = "wholesale_above_public_price"
