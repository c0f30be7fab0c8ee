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
from sales.models.tills import (
    CashMovement,
    CashMovementType,
    Till,
    TillSession,
    TillSessionStatus,
    ZNumberSequence,
)

__all__ = [
    "WALK_IN_CUSTOMER",
    "CashMovement",
    "CashMovementType",
    "Payment",
    "PaymentMethod",
    "ReceiptSequence",
    "Sale",
    "SaleItem",
    "SaleStatus",
    "SaleType",
    "Till",
    "TillSession",
    "TillSessionStatus",
    "ZNumberSequence",
]
