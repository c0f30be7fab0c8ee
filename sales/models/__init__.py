"""The sales app's models, one module per part of the flow."""

from sales.models.returns import (
    CHOSEN_REFUND_METHODS,
    RefundMethod,
    Return,
    ReturnItem,
    ReturnRefund,
    ReturnSequence,
)
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
    "CHOSEN_REFUND_METHODS",
    "WALK_IN_CUSTOMER",
    "CashMovement",
    "CashMovementType",
    "Payment",
    "PaymentMethod",
    "ReceiptSequence",
    "RefundMethod",
    "Return",
    "ReturnItem",
    "ReturnRefund",
    "ReturnSequence",
    "Sale",
    "SaleItem",
    "SaleStatus",
    "SaleType",
    "Till",
    "TillSession",
    "TillSessionStatus",
    "ZNumberSequence",
]
