"""The codes of the `medicine` app's refusals: stable strings that clients match on.

The catalogue: prices, barcodes and stock.
"""

from pos_project.errors import ErrorCodes


class ErrorCode(ErrorCodes):
    BARCODE_TAKEN = "barcode_taken"
    INSUFFICIENT_STOCK = "insufficient_stock"
    INVALID_DELTA = "invalid_delta"
    INVALID_PRICE = "invalid_price"
    REASON_REQUIRED = "reason_required"
    STOCK_TOO_LARGE = "stock_too_large"
    UNKNOWN_STOREFRONT = "unknown_storefront"
    WHOLESALE_ABOVE_PUBLIC_PRICE = "wholesale_above_public_price"
