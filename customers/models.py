"""Customers: who buys, how to reach them, and the figures kept on their row."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pos_project.money import ZERO, money_field


class CustomerType(models.TextChoices):
    # Buys for themselves at the public price.
    RETAIL = "RETAIL", _("Retail")
    # Buys to resell or for an institution, at the wholesale price.
    WHOLESALE = "WHOLESALE", _("Wholesale")


class Customer(models.Model):
    """A regular customer of one business.

    `outstanding_balance`, `total_purchases`, `sales_count`, `last_purchase_date` and
    `ledger_sequence` are kept on the row by the customers' services, in the same
    transaction as the sale or payment that changes them, so lists sort and filter on them
    at any size.
    `check_ledgers` proves them against the ledger and the sales.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique phone constraint and the indexes below lead with it.
    business = models.ForeignKey(
        "pos_project.Business",
        on_delete=models.PROTECT,
        related_name="customers",
        db_index=False,
        verbose_name=_("business"),
    )
    name = models.CharField(_("name"), max_length=200)
    # Lower-cased, accent-free copy of `name`, so search ignores case and accents on any
    # database and a trigram index can serve it on PostgreSQL.
    search_name = models.CharField(max_length=200, editable=False, default="")
    # NULL, not "", when absent: the per-business unique constraint ignores NULLs.
    phone = models.CharField(  # noqa: DJ001
        _("phone"),
        max_length=20,
        null=True,
        blank=True,
        help_text=_("E.164, e.g. +212612345678."),
    )
    email = models.EmailField(_("email"), max_length=254, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    customer_type = models.CharField(
        _("customer type"),
        max_length=10,
        choices=CustomerType.choices,
        default=CustomerType.RETAIL,
    )
    credit_limit = money_field(
        verbose_name=_("credit limit"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. 0: no credit at all."),
    )
    outstanding_balance = money_field(
        verbose_name=_("outstanding balance"),
        default=ZERO,
        help_text=_("What the customer owes; negative is credit held for them."),
    )
    total_purchases = money_field(verbose_name=_("total purchases"), default=ZERO)
    sales_count = models.PositiveIntegerField(_("sales count"), default=0)
    # The `sequence` of the customer's last ledger entry: the next entry takes the one
    # after, read from this row, which posting has locked and saves anyway (its balance),
    # instead of from the largest sequence in the ledger.
    ledger_sequence = models.PositiveIntegerField(default=0, editable=False)
    last_purchase_date = models.DateTimeField(_("last purchase date"), null=True, blank=True)
    is_active = models.BooleanField(_("is active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "phone"], name="customer_unique_phone_per_business"
            ),
            models.CheckConstraint(
                condition=Q(credit_limit__isnull=True) | Q(credit_limit__gte=0),
                name="customer_credit_limit_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_purchases__gte=0), name="customer_total_purchases_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["business", "search_name"], name="customer_business_name"),
            models.Index(fields=["business", "-outstanding_balance"], name="customer_balance"),
            models.Index(fields=["business", "-last_purchase_date"], name="customer_last_purchase"),
            # The debtors report: only customers who owe or hold credit, a small share.
            models.Index(
                fields=["business", "outstanding_balance"],
                condition=Q(outstanding_balance__gt=0) | Q(outstanding_balance__lt=0),
                name="customer_debtor_balance",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_credit_limit(self) -> bool:
        return self.credit_limit is not None

    @property
    def available_credit(self) -> Decimal | None:
        if self.credit_limit is None:
            return None
        return self.credit_limit - self.outstanding_balance

    def can_make_purchase(self, amount: Decimal) -> bool:
        """Whether `amount` more on account fits the credit limit."""
        if not self.is_active:
            return False
        if self.credit_limit is None:
            return True
        return self.outstanding_balance + amount <= self.credit_limit


class CustomerCounts(models.Model):
    """How many customers a business has, active and deactivated, kept on one row.

    Moved by every change that creates, deletes, deactivates or reactivates a customer, in
    its transaction (`customers.counts`), so the dashboard reads two numbers instead of
    counting every customer. `check_ledgers` proves them against the customers;
    `customer_counts_rebuild` recomputes them. A business without a row yet reads as zeros.
    """

    # Derived figures: they follow their business rather than holding it back.
    business = models.OneToOneField(
        "pos_project.Business",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="customer_counts",
    )
    active = models.IntegerField(default=0, help_text=_("Customers not deactivated."))
    deactivated = models.IntegerField(default=0)

    class Meta:
        ordering = ["business_id"]
        verbose_name_plural = _("customer counts")

    def __str__(self):
        return _("%(active)s active, %(deactivated)s deactivated customers") % {
            "active": self.active,
            "deactivated": self.deactivated,
        }
