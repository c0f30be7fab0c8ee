"""A sale: a cart that becomes a receipt, its lines and how it was paid."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pos_project.money import ZERO, money_field
from sales.models.sequences import BusinessSequence

WALK_IN_CUSTOMER = "Walk-in Customer"


class SaleType(models.TextChoices):
    # Priced at the public price (prix_br / ppv).
    RETAIL = "RETAIL", _("Retail")
    # Priced at the wholesale price, falling back to the public price.
    WHOLESALE = "WHOLESALE", _("Wholesale")


class SaleStatus(models.TextChoices):
    # A cart being rung up: lines, customer and type may change.
    DRAFT = "DRAFT", _("Draft")
    # Paid and final: stock is gone, the receipt number is allocated.
    COMPLETED = "COMPLETED", _("Completed")
    # Abandoned as a draft, or reversed after completion. Never changes again.
    CANCELLED = "CANCELLED", _("Cancelled")


class PaymentMethod(models.TextChoices):
    CASH = "CASH", pgettext_lazy("payment method", "Cash")
    CARD = "CARD", pgettext_lazy("payment method", "Card")
    MOBILE_MONEY = "MOBILE_MONEY", pgettext_lazy("payment method", "Mobile money")
    # Charged to the customer's account: owed, not taken into the till.
    ON_ACCOUNT = "ON_ACCOUNT", pgettext_lazy("payment method", "On account")


class Sale(models.Model):
    """One sale at one storefront.

    `subtotal`, `discount_total` and `total_amount` are recomputed from the lines in the
    transaction that changes a line, never at display time.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No single-column index on business or customer: the composite indexes below lead with
    # them, and serve every lookup by either (a second index would be written on every
    # insert and never read).
    business = models.ForeignKey(
        "pos_project.Business",
        on_delete=models.PROTECT,
        related_name="sales",
        db_index=False,
        verbose_name=_("business"),
    )
    storefront = models.ForeignKey(
        "pos_project.Storefront",
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("storefront"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
        db_index=False,
        verbose_name=_("customer"),
    )
    type = models.CharField(
        max_length=10, choices=SaleType.choices, default=SaleType.RETAIL, verbose_name=_("type")
    )
    status = models.CharField(
        max_length=10,
        choices=SaleStatus.choices,
        default=SaleStatus.DRAFT,
        verbose_name=_("status"),
    )
    receipt_sequence = models.PositiveIntegerField(
        null=True, blank=True, editable=False, verbose_name=_("receipt sequence")
    )
    # NULL until completion allocates one.
    receipt_number = models.CharField(  # noqa: DJ001
        max_length=20, null=True, blank=True, editable=False, verbose_name=_("receipt number")
    )
    subtotal = money_field(default=ZERO, verbose_name=_("subtotal"))
    discount_total = money_field(default=ZERO, verbose_name=_("discount total"))
    total_amount = money_field(default=ZERO, verbose_name=_("total amount"))
    amount_paid = money_field(
        default=ZERO,
        help_text=_("Tendered, including the on-account part."),
        verbose_name=_("amount paid"),
    )
    change_due = money_field(default=ZERO, verbose_name=_("change due"))
    on_account_amount = money_field(
        default=ZERO,
        help_text=_("Charged to the customer's account."),
        verbose_name=_("on account amount"),
    )
    amount_due = money_field(
        default=ZERO,
        help_text=_("On-account amount not yet settled."),
        verbose_name=_("amount due"),
    )
    # A database default too: bulk loaders that write sales without it get zero.
    returned_total = money_field(
        default=ZERO,
        db_default=ZERO,
        help_text=_("Given back by the sale's returns."),
        verbose_name=_("returned total"),
    )
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    till_session = models.ForeignKey(
        "sales.TillSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
        help_text=_("The drawer session that took the completion; none without an open session."),
        verbose_name=_("till session"),
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    cancel_reason = models.TextField(blank=True, verbose_name=_("cancel reason"))
    cancellation_till_session = models.ForeignKey(
        "sales.TillSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancelled_sales",
        help_text=_("The drawer session that gave back the money of a cancelled completed sale."),
        verbose_name=_("cancellation till session"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "receipt_sequence"], name="sale_unique_receipt_per_business"
            ),
            models.CheckConstraint(
                condition=Q(total_amount__gte=0), name="sale_total_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(amount_due__gte=0) & Q(amount_due__lte=F("on_account_amount")),
                name="sale_amount_due_within_on_account",
            ),
            models.CheckConstraint(
                condition=Q(returned_total__gte=0) & Q(returned_total__lte=F("total_amount")),
                name="sale_returned_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "-created_at"], name="sale_business_time"),
            models.Index(fields=["customer", "-created_at"], name="sale_customer_time"),
            models.Index(fields=["business", "status", "-created_at"], name="sale_status_time"),
            # Only the unpaid on-account sales: what the debtors report ages and payments
            # settle, a small slice of all sales however long the history grows.
            models.Index(
                fields=["business", "completed_at"],
                include=["customer", "amount_due"],
                condition=Q(status="COMPLETED", amount_due__gt=0),
                name="sale_unpaid",
            ),
            # A customer's purchase history in its page's order (the sales with a receipt
            # number, newest completed first): the page and its count are read off it
            # however many sales the customer has. No INCLUDE: the page shows most columns.
            models.Index(
                fields=["customer", "-completed_at", "-created_at", "-id"],
                condition=Q(receipt_number__isnull=False),
                name="sale_purchase_history",
            ),
            # A debtor's unpaid sales, oldest first: their ageing and what a payment settles.
            models.Index(
                fields=["customer", "completed_at"],
                include=["amount_due"],
                condition=Q(status="COMPLETED", amount_due__gt=0),
                name="sale_unpaid_customer",
            ),
        ]

    def __str__(self):
        return self.receipt_number or gettext("Draft %(id)s") % {"id": str(self.id)[:8]}

    @property
    def customer_name(self) -> str:
        return self.customer.name if self.customer_id else WALK_IN_CUSTOMER

    @property
    def is_editable(self) -> bool:
        return self.status == SaleStatus.DRAFT


class SaleItem(models.Model):
    """A line of a sale. Name and unit price are captured when added (or re-priced)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sale = models.ForeignKey(
        Sale, on_delete=models.CASCADE, related_name="items", verbose_name=_("sale")
    )
    medicine = models.ForeignKey(
        "medicine.Medicine", on_delete=models.PROTECT, related_name="+", verbose_name=_("medicine")
    )
    medicine_name = models.CharField(max_length=255, verbose_name=_("medicine name"))
    unit_price = money_field(verbose_name=_("unit price"))
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    discount = money_field(
        default=ZERO, help_text=_("Taken off the whole line."), verbose_name=_("discount")
    )
    line_total = money_field(verbose_name=_("line total"))
    returned_quantity = models.PositiveIntegerField(
        default=0,
        db_default=0,
        help_text=_("Units brought back by the sale's returns."),
        verbose_name=_("returned quantity"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("sale line")
        verbose_name_plural = _("sale lines")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_item_quantity_positive"),
            models.CheckConstraint(
                condition=Q(discount__gte=0) & Q(line_total__gte=0),
                name="sale_item_discount_within_line",
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=F("quantity")),
                name="sale_item_returned_within_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.medicine_name}"


class Payment(models.Model):
    """One tender of a completed sale."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sale = models.ForeignKey(
        Sale, on_delete=models.CASCADE, related_name="payments", verbose_name=_("sale")
    )
    method = models.CharField(
        max_length=12, choices=PaymentMethod.choices, verbose_name=_("method")
    )
    amount = money_field(verbose_name=_("amount"))
    reference = models.CharField(max_length=100, blank=True, verbose_name=_("reference"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount}"


class ReceiptSequence(BusinessSequence):
    """The last receipt number a business issued; taken at completion."""

    prefix = "S"
