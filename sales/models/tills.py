"""The cash drawer: tills, the sessions cashiers open on them, cash put in or taken out, and
the gap-free Z numbers sessions get when they close."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pos_project.money import money_field
from sales.models.sequences import BusinessSequence


class Till(models.Model):
    """One cash drawer at one storefront."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business = models.ForeignKey(
        "pos_project.Business",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("business"),
    )
    storefront = models.ForeignKey(
        "pos_project.Storefront",
        on_delete=models.PROTECT,
        related_name="tills",
        verbose_name=_("storefront"),
    )
    name = models.CharField(max_length=80, verbose_name=_("name"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("till")
        verbose_name_plural = _("tills")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["storefront", "name"], name="till_unique_name_per_storefront"
            )
        ]

    def __str__(self):
        return self.name


class TillSessionStatus(models.TextChoices):
    # The drawer is in use: sales, debt payments and movements at its storefront go into it.
    OPEN = "OPEN", _("Open")
    # Counted and closed: its Z report is stored and it never changes again.
    CLOSED = "CLOSED", _("Closed")


class TillSession(models.Model):
    """A cashier's shift on one till, from the opening float to the count at close.

    The report's totals are stored when the session closes (its Z report), so later changes
    elsewhere (a cancellation of one of its sales in another session) never rewrite it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business = models.ForeignKey(
        "pos_project.Business",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("business"),
    )
    till = models.ForeignKey(
        Till, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("till")
    )
    status = models.CharField(
        max_length=6,
        choices=TillSessionStatus.choices,
        default=TillSessionStatus.OPEN,
        verbose_name=_("status"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(auto_now_add=True, verbose_name=_("opened at"))
    opening_float = money_field(
        help_text=_("Cash in the drawer when the session opened."), verbose_name=_("opening float")
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    closing_note = models.TextField(blank=True, verbose_name=_("closing note"))
    z_sequence = models.PositiveIntegerField(
        null=True, blank=True, editable=False, verbose_name=_("z sequence")
    )
    z_number = models.CharField(
        max_length=20, blank=True, editable=False, verbose_name=_("z number")
    )
    counted_cash = money_field(null=True, blank=True, verbose_name=_("counted cash"))
    # The Z report's totals, stored at close (see sales.till_totals.TillTotals).
    expected_cash = money_field(null=True, blank=True, verbose_name=_("expected cash"))
    variance = money_field(
        null=True, blank=True, help_text=_("Counted minus expected."), verbose_name=_("variance")
    )
    sales_count = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("sales count"))
    gross_sales = money_field(null=True, blank=True, verbose_name=_("gross sales"))
    discounts = money_field(null=True, blank=True, verbose_name=_("discounts"))
    net_sales = money_field(null=True, blank=True, verbose_name=_("net sales"))
    cash_tendered = money_field(null=True, blank=True, verbose_name=_("cash tendered"))
    card_sales = money_field(null=True, blank=True, verbose_name=_("card sales"))
    mobile_money_sales = money_field(null=True, blank=True, verbose_name=_("mobile money sales"))
    on_account_sales = money_field(null=True, blank=True, verbose_name=_("on account sales"))
    change_given = money_field(null=True, blank=True, verbose_name=_("change given"))
    debt_payments_cash = money_field(null=True, blank=True, verbose_name=_("debt payments cash"))
    debt_payments_card = money_field(null=True, blank=True, verbose_name=_("debt payments card"))
    debt_payments_mobile_money = money_field(
        null=True, blank=True, verbose_name=_("debt payments mobile money")
    )
    refunds_cash = money_field(null=True, blank=True, verbose_name=_("refunds cash"))
    refunds_card = money_field(null=True, blank=True, verbose_name=_("refunds card"))
    refunds_mobile_money = money_field(
        null=True, blank=True, verbose_name=_("refunds mobile money")
    )
    refunds_on_account = money_field(
        null=True,
        blank=True,
        help_text=_(
            "Returns taken off what customers owed or held as their credit, and "
            "cancelled on-account charges: no money left the drawer."
        ),
        verbose_name=_("refunds on account"),
    )
    pay_ins = money_field(null=True, blank=True, verbose_name=_("pay ins"))
    pay_outs = money_field(null=True, blank=True, verbose_name=_("pay outs"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("till session")
        verbose_name_plural = _("till sessions")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # Held by the database, so two requests racing to open cannot both win.
            models.UniqueConstraint(
                fields=["till"],
                condition=Q(status="OPEN"),
                name="till_session_one_open_per_till",
            ),
            models.UniqueConstraint(
                fields=["opened_by"],
                condition=Q(status="OPEN"),
                name="till_session_one_open_per_user",
            ),
            models.UniqueConstraint(
                fields=["business", "z_sequence"], name="till_session_unique_z_per_business"
            ),
            models.CheckConstraint(
                condition=Q(opening_float__gte=0), name="till_session_float_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(counted_cash__isnull=True) | Q(counted_cash__gte=0),
                name="till_session_counted_not_negative",
            ),
            # A closed session carries its count, its report and its Z number; an open one
            # has none of them yet. (That the variance is counted minus expected is proven
            # by check_ledgers: SQLite would compare the difference in floating point.)
            models.CheckConstraint(
                condition=(
                    Q(
                        status="OPEN",
                        closed_at__isnull=True,
                        counted_cash__isnull=True,
                        z_sequence__isnull=True,
                    )
                    | Q(
                        status="CLOSED",
                        closed_at__isnull=False,
                        counted_cash__isnull=False,
                        expected_cash__isnull=False,
                        variance__isnull=False,
                        z_sequence__isnull=False,
                    )
                ),
                name="till_session_closed_has_report",
            ),
        ]
        indexes = [
            models.Index(fields=["business", "-opened_at"], name="till_session_business_time"),
            models.Index(fields=["business", "-closed_at"], name="till_session_closed_time"),
        ]

    def __str__(self):
        if self.z_number:
            return self.z_number
        opened = date_format(localtime(self.opened_at), "SHORT_DATETIME_FORMAT")
        return gettext("%(till)s (open since %(opened)s)") % {"till": self.till, "opened": opened}

    @property
    def is_open(self) -> bool:
        return self.status == TillSessionStatus.OPEN


class CashMovementType(models.TextChoices):
    # Cash put into the drawer during the session (more change, say).
    PAY_IN = "PAY_IN", _("Pay-in")
    # Cash taken out of the drawer (a supplier paid, a bank drop).
    PAY_OUT = "PAY_OUT", _("Pay-out")


class CashMovement(models.Model):
    """Cash put into or taken out of a drawer, other than by a sale or a debt payment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        TillSession, on_delete=models.PROTECT, related_name="movements", verbose_name=_("session")
    )
    type = models.CharField(max_length=7, choices=CashMovementType.choices, verbose_name=_("type"))
    amount = money_field(verbose_name=_("amount"))
    reason = models.CharField(max_length=255, verbose_name=_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_by_name = models.CharField(max_length=150, verbose_name=_("created by name"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("cash movement")
        verbose_name_plural = _("cash movements")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cash_movement_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="cash_movement_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.amount}"


class ZNumberSequence(BusinessSequence):
    """The last Z number a business issued; taken at a till session's close."""

    prefix = "Z"
