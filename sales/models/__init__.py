"""The sales app's models, one module per part of the flow."""

from sales.models.sale import (
    WALK_IN_CUSTOMER,
    Payment,
    PaymentMethod,
    ReceiptSequence,
    Sale,
    SaleItem,
    SaleStatus,
    SaleType,
)

__all__ = [
    "WALK_IN_CUSTOMER",
    "Payment",
    "PaymentMethod",
    "ReceiptSequence",
    "Sale",
    "SaleItem",
    "SaleStatus",
    "SaleType",
]
