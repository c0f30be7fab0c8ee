"""The audit trail's vocabulary: every kind of event, and the one shape of a change.

Names are stored in entries that are hashed into the chain, so a name once written never
changes; a new kind of event is a new member.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    BUSINESS_CREATED = "business.created", _("Business created")
    BUSINESS_UPDATED = "business.updated", _("Business details changed")
    STOREFRONT_CREATED = "storefront.created", _("Storefront added")
    STOREFRONT_UPDATED = "storefront.updated", _("Storefront changed")
    STOREFRONT_DELETED = "storefront.deleted", _("Storefront removed")
    STAFF_ADDED = "staff.added", _("Staff member added")
    STAFF_REMOVED = "staff.removed", _("Staff member removed")
    STAFF_ROLE_CHANGED = "staff.role_changed", _("Staff role changed")
    STAFF_LOCKED_OUT = "staff.locked_out", _("Back-office log-in locked")
    STAFF_LOCKOUT_LIFTED = "staff.lockout_lifted", _("Log-in lock lifted")
    STAFF_PASSWORD_RESET = "staff.password_reset", _("Staff password reset")
    STAFF_DEACTIVATED = "staff.deactivated", _("Staff member deactivated")
    STAFF_REACTIVATED = "staff.reactivated", _("Staff member reactivated")
    STAFF_KEY_REVOKED = "staff.key_revoked", _("Staff member logged out of the tills")
    CUSTOMER_CREATED = "customer.created", _("Customer added")
    CUSTOMER_UPDATED = "customer.updated", _("Customer details changed")
    CUSTOMER_DEACTIVATED = "customer.deactivated", _("Customer deactivated")
    CUSTOMER_REACTIVATED = "customer.reactivated", _("Customer reactivated")
    CUSTOMER_DELETED = "customer.deleted", _("Customer removed")
    CUSTOMER_MOCK_CLEANUP = "customer.mock_cleanup", _("Test customers cleaned up")
    CUSTOMER_PAYMENT_RECORDED = "customer.payment_recorded", _("Payment received")
    CUSTOMER_CREDIT_ADJUSTED = "customer.credit_adjusted", _("Credit adjusted")
    MEDICINE_CREATED = "medicine.created", _("Medicine added")
    MEDICINE_UPDATED = "medicine.updated", _("Medicine details changed")
    MEDICINE_PRICE_CHANGED = "medicine.price_changed", _("Price changed")
    MEDICINE_DEACTIVATED = "medicine.deactivated", _("Medicine deactivated")
    MEDICINE_DELETED = "medicine.deleted", _("Medicine removed")
    MEDICINE_STOCK_ADJUSTED = "medicine.stock_adjusted", _("Stock adjusted")
    STOCK_LOT_RECEIVED = "stock.lot_received", _("Lot received")
    STOCK_LOT_ADJUSTED = "stock.lot_adjusted", _("Lot adjusted")
    STOCK_LOT_WRITTEN_OFF = "stock.lot_written_off", _("Lot written off")
    STOCK_LOT_RECALLED = "stock.lot_recalled", _("Lot recalled")
    SALE_CUSTOMER_UPDATED = "sale.customer_updated", _("Sale's customer changed")
    SALE_COMPLETED = "sale.completed", _("Sale completed")
    SALE_CANCELLED = "sale.cancelled", _("Sale cancelled")
    SALE_RETURNED = "sale.returned", _("Items returned")
    TILL_CREATED = "till.created", _("Till set up")
    TILL_UPDATED = "till.updated", _("Till changed")
    TILL_OPENED = "till.opened", _("Till session opened")
    TILL_CASH_MOVED = "till.cash_moved", _("Cash put in or taken out of a till")
    TILL_CLOSED = "till.closed", _("Till session closed")


def audit_changes(old: dict, new: dict) -> dict[str, dict]:
    """`{field: {"old": ..., "new": ...}}` for each field whose value differs: the shape in
    which every event records what it changed, under `event_data["changes"]`."""
    fields = [*old, *(field for field in new if field not in old)]
    return {
        field: {"old": old.get(field), "new": new.get(field)}
        for field in fields
        if old.get(field) != new.get(field)
    }
