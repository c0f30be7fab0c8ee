"""What customers owe: the ledger of accounts receivable, payments, their allocations to
on-account sales, and the Debtors report's kept totals.

The tables keep the names they had when these models lived in `customers`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customers.models import Customer
from pos_project.money import SUM_MAX_DIGITS, ZERO, money_field


class DebtPaymentMethod(models.TextChoices):
    # Ways a customer pays off a debt; "on account" is not one of them.
    CASH = "CASH", pgettext_lazy("payment method", "Cash")
    CARD = "CARD", pgettext_lazy("payment method", "Card")
    MOBILE_MONEY = "MOBILE_MONEY", pgettext_lazy("payment method", "Mobile money")


class AdjustmentType(models.TextChoices):
    """What a manager's credit adjustment does; the API and the back office send the value."""

    # Gives the customer credit: their balance goes down.
    ADD = "add", _("Give credit")
    # Takes credit held for the customer back: their balance goes up.
    DEDUCT = "deduct", _("Take back credit")


class LedgerEntryType(models.TextChoices):
    # An on-account sale: the customer owes more (+).
    SALE_CHARGE = "SALE_CHARGE", _("Sale charge")
    # Money received against the debt (-).
    PAYMENT = "PAYMENT", _("Payment")
    # A completed on-account sale was cancelled (-).
    SALE_REVERSAL = "SALE_REVERSAL", _("Sale reversal")
    # A manager's correction: credit given (-) or taken back (+).
    CREDIT_ADJUSTMENT = "CREDIT_ADJUSTMENT", _("Credit adjustment")
    # Goods of a completed sale brought back (-): what was still owed on the sale falls, and
    # a refund on account is held as credit.
    SALE_RETURN = "SALE_RETURN", _("Sale return")


class CustomerPayment(models.Model):
    """Money a customer paid against their debt: the financial record of it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business = models.ForeignKey("pos_project.Business", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="payments")
    amount = money_field()
    method = models.CharField(max_length=12, choices=DebtPaymentMethod.choices)
    reference = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=255, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    received_by_name = models.CharField(max_length=150)
    till_session = models.ForeignKey(
        "sales.TillSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="debt_payments",
        help_text=_("The drawer session of the staff member who took it, when one was open."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "customers_customerpayment"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="customer_payment_positive")
        ]
        indexes = [models.Index(fields=["customer", "-created_at"], name="payment_customer_time")]

    def __str__(self):
        return f"{self.amount} from {self.customer}"


class CustomerLedgerEntry(models.Model):
    """One line of a customer's statement. Append-only.

    The customer's balance always equals the sum of their entries, and `balance_after` is
    the running sum up to and including this one (in `sequence` order).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of their own: `ledger_business_time` and the unique (customer, sequence)
    # lead with them.
    business = models.ForeignKey(
        "pos_project.Business", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="ledger_entries", db_index=False
    )
    sequence = models.PositiveIntegerField(help_text=_("Position in the customer's statement."))
    entry_type = models.CharField(max_length=20, choices=LedgerEntryType.choices)
    amount = money_field(help_text=_("Positive raises the debt; negative lowers it."))
    balance_after = money_field()
    sale = models.ForeignKey(
        "sales.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_entries"
    )
    payment = models.OneToOneField(
        CustomerPayment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entry",
    )
    # The record, in English whatever the language of the request that wrote it.
    description = models.CharField(max_length=255)
    # What the description says, as data, so that it reads in the reader's language
    # (receivables.descriptions). Null: an entry whose stored text could not be read.
    details = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("What the description names: receipt, return, payment method, reason."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "customers_customerledgerentry"
        # By the column, not the relation: "customer" would join and sort by customer name.
        ordering = ["customer_id", "sequence"]
        verbose_name_plural = _("customer ledger entries")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "sequence"], name="ledger_one_entry_per_position"
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
        ]
        indexes = [models.Index(fields=["business", "-created_at"], name="ledger_business_time")]

    def __str__(self):
        return f"{self.get_entry_type_display()} {self.amount} ({self.customer})"


class ReceivableAllocation(models.Model):
    """How much of a credit (a payment, or credit given) settles which on-account sale.

    Credits settle the oldest unpaid sales first; credit left over waits for the next
    on-account sale. A sale's `amount_due` is its on-account amount less its allocations.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business = models.ForeignKey("pos_project.Business", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="allocations")
    credit_entry = models.ForeignKey(
        CustomerLedgerEntry, on_delete=models.PROTECT, related_name="allocations"
    )
    sale = models.ForeignKey("sales.Sale", on_delete=models.PROTECT, related_name="allocations")
    amount = money_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "customers_receivableallocation"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive")
        ]

    def __str__(self):
        return f"{self.amount} to {self.sale_id}"


class ReceivablesSummary(models.Model):
    """The unfiltered Debtors report's count and totals for one business, kept on one row,
    with the sums of its customers' purchases and sales for the customer dashboard.

    Moved by the receivables services in the same transaction as every change to a balance,
    to a completed sale's `amount_due` or to a customer's purchase statistics
    (`receivables.summary`), so the report
    reads them instead of scanning every debtor and unpaid sale. `check_ledgers` proves
    them against their sources; `receivables_summary_rebuild`
    recomputes them. A business without a row yet reads as zeros.
    """

    # Derived figures: they follow their business rather than holding it back.
    business = models.OneToOneField(
        "pos_project.Business",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="receivables_summary",
    )
    debtors = models.IntegerField(default=0, help_text=_("Customers with a non-zero balance."))
    amount_owed = money_field(default=ZERO, help_text=_("Sum of every outstanding balance."))
    amount_due = money_field(default=ZERO, help_text=_("Still due on the completed sales."))
    # The customer dashboard's average sale: kept here, not beside the customer counts, so
    # a checkout moves them in the UPDATE of this row it already makes for an on-account
    # part, and queues on no other row.
    purchases = money_field(
        default=ZERO,
        max_digits=SUM_MAX_DIGITS,
        help_text=_("Sum of every customer's total purchases (net of returns)."),
    )
    sales_count = models.BigIntegerField(
        default=0, help_text=_("Sum of every customer's count of completed sales.")
    )

    class Meta:
        db_table = "customers_receivablessummary"
        ordering = ["business_id"]
        verbose_name_plural = _("receivables summaries")

    def __str__(self):
        return f"{self.debtors} debtors owing {self.amount_owed}"


# Every real UTC offset is a whole number of quarter hours, so a local midnight always
# starts a slot and the ageing buckets are exact sums of whole slots.
DUE_SLOT_MINUTES = 15


class ReceivablesDueSlot(models.Model):
    """What is still due on a business's sales completed in one 15-minute UTC slot, and how
    many of its customers last bought in that slot.

    Kept with `ReceivablesSummary`. A slot whose sales are all paid stays at zero rather
    than being deleted: removing it would cost the paying transaction a statement more,
    and a business has at most 96 slots a day, of which the report reads the last 91 days.
    `buyers` moves with each customer's `last_purchase_date`, one from the old slot to the
    new, so the dashboard's recent buyers are a sum of slots whatever the customers.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business = models.ForeignKey("pos_project.Business", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(help_text=_("Completion time floored to 15 minutes, in UTC."))
    amount_due = money_field(default=ZERO)
    buyers = models.IntegerField(
        default=0, help_text=_("Customers whose last purchase falls in this slot.")
    )

    class Meta:
        db_table = "customers_receivablesdueslot"
        ordering = ["business_id", "starts_at"]
        constraints = [
            # Its index also serves the report's range sums over (business, starts_at).
            models.UniqueConstraint(
                fields=["business", "starts_at"], name="receivables_one_slot_per_start"
            )
        ]

    def __str__(self):
        return f"{self.amount_due} due from {self.starts_at:%Y-%m-%d %H:%M} UTC"
