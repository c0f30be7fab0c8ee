"""A return: part of a completed sale brought back, its lines and how it was refunded."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pos_project.money import money_field
from sales.models.sale import Sale, SaleItem
from sales.models.sequences import BusinessSequence


class RefundMethod(models.TextChoices):
    # Taken off what the customer still owed on the sale's on-account part: no money moves.
    AMOUNT_DUE = "AMOUNT_DUE", _("Off the amount due")
    # Given back out of the drawer.
    CASH = "CASH", pgettext_lazy("payment method", "Cash")
    CARD = "CARD", pgettext_lazy("payment method", "Card")
    MOBILE_MONEY = "MOBILE_MONEY", pgettext_lazy("payment method", "Mobile money")
    # Held for the customer as credit on their account (a ledger credit).
    ACCOUNT = "ACCOUNT", _("Credit on account")


# What a caller may ask for the part of a return that is not taken off the amount due.
CHOSEN_REFUND_METHODS = [
    RefundMethod.CASH,
    RefundMethod.CARD,
    RefundMethod.MOBILE_MONEY,
    RefundMethod.ACCOUNT,
]


class Return(models.Model):
    """Units of a completed sale's lines brought back, with the money given back for them.

    `total` is the sum of the lines' amounts and of the refunds. The sale stays COMPLETED;
    its `returned_total` and each line's `returned_quantity` add up every return.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business = models.ForeignKey(
        "pos_project.Business",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("business"),
    )
    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, related_name="returns", verbose_name=_("sale")
    )
    sequence = models.PositiveIntegerField(editable=False, verbose_name=_("sequence"))
    number = models.CharField(max_length=20, editable=False, verbose_name=_("number"))
    reason = models.TextField(verbose_name=_("reason"))
    refund_method = models.CharField(
        max_length=12,
        choices=RefundMethod.choices,
        help_text=_("How what was not owed on the sale was given back."),
        verbose_name=_("refund method"),
    )
    total = money_field(verbose_name=_("total"))
    till_session = models.ForeignKey(
        "sales.TillSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returns",
        help_text=_("The drawer session that gave the money back; none without an open session."),
        verbose_name=_("till session"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "sequence"], name="return_unique_number_per_business"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="return_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["business", "-created_at"], name="return_business_time"),
            models.Index(fields=["sale", "created_at"], name="return_sale_time"),
        ]

    def __str__(self):
        return self.number


class ReturnItem(models.Model):
    """Units of one sale line brought back, and what they were paid."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sale_return = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="items", verbose_name=_("sale return")
    )
    sale_item = models.ForeignKey(
        SaleItem, on_delete=models.PROTECT, related_name="return_items", verbose_name=_("sale item")
    )
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    amount = money_field(
        help_text=_("What these units were paid, the line's discount included."),
        verbose_name=_("amount"),
    )
    restocked = models.BooleanField(
        default=True,
        help_text=_("Put back on the shelf (not damaged or expired)."),
        verbose_name=_("restocked"),
    )

    class Meta:
        verbose_name = _("returned line")
        verbose_name_plural = _("returned lines")
        ordering = ["sale_return", "sale_item__created_at", "sale_item_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="return_item_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="return_item_amount_not_negative"
            ),
            models.UniqueConstraint(
                fields=["sale_return", "sale_item"], name="return_item_one_per_line"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.sale_item.medicine_name}"


class ReturnRefund(models.Model):
    """One way the return's money went back to the customer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sale_return = models.ForeignKey(
        Return, on_delete=models.CASCADE, related_name="refunds", verbose_name=_("sale return")
    )
    method = models.CharField(max_length=12, choices=RefundMethod.choices, verbose_name=_("method"))
    amount = money_field(verbose_name=_("amount"))

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        # In the order they are applied: what came off the amount due first.
        ordering = [
            "sale_return",
            Case(When(method="AMOUNT_DUE", then=Value(0)), default=Value(1)),
            "method",
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="return_refund_positive"),
            models.UniqueConstraint(
                fields=["sale_return", "method"], name="return_refund_one_per_method"
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount}"


class ReturnSequence(BusinessSequence):
    """The last return number a business issued; taken by each return."""

    prefix = "R"
