"""The shared kernel: the business every row belongs to, its storefronts and its staff."""

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumbers import SUPPORTED_REGIONS

CURRENCY_SYMBOLS = {"MAD": "DH"}


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a known time zone, such as 'Africa/Casablanca'."),
            params={"value": repr(value)},
        )


def validate_region(value: str) -> None:
    if value not in SUPPORTED_REGIONS:
        raise ValidationError(
            _("%(value)s is not a known phone region, such as 'MA'."), params={"value": repr(value)}
        )


class Role(models.TextChoices):
    # Runs the business: everything a manager may do, and staff accounts.
    OWNER = "OWNER", _("Owner")
    # Runs the shop floor: credit limits, cancellations, prices, stock, the audit trail.
    MANAGER = "MANAGER", _("Manager")
    # Sells at the till: customers' contact details, draft sales to completion, debt payments.
    CASHIER = "CASHIER", _("Cashier")


class Business(models.Model):
    """A shop or chain: the tenant that owns every other row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    currency_code = models.CharField(_("currency code"), max_length=3, default="MAD")
    default_region = models.CharField(
        _("default region"),
        max_length=2,
        default="MA",
        validators=[validate_region],
        help_text=_("Phone numbers typed without a country code are read in this region."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Africa/Casablanca", validators=[validate_time_zone]
    )
    cashiers_take_deposits = models.BooleanField(
        _("cashiers take deposits"),
        default=False,
        help_text=_(
            "Cashiers may take a payment above what a customer owes and hold the extra as "
            "credit. Off: only managers and the owner may."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_(
            "The back office, the API and every printed page (receipts, slips, reports, "
            "statements) speak it, unless a staff member chose another for themselves."
        ),
    )
    cash_control = models.BooleanField(
        _("cash control"),
        default=False,
        help_text=_(
            "Cash is taken and given back only through an open till session: a cash sale, "
            "refund or debt payment without one is refused. Off: such cash belongs to no "
            "session."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business")
        verbose_name_plural = _("businesses")

    def __str__(self):
        return self.name

    @property
    def currency_symbol(self) -> str:
        return CURRENCY_SYMBOLS.get(self.currency_code, self.currency_code)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Storefront(models.Model):
    """One shop of a business, with its own till and stock."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="storefronts", verbose_name=_("business")
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_active = models.BooleanField(_("is active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("storefront")
        verbose_name_plural = _("storefronts")
        constraints = [
            models.UniqueConstraint(
                fields=["business", "name"], name="storefront_unique_name_per_business"
            )
        ]

    def __str__(self):
        return self.name


class StaffMember(models.Model):
    """Links a login to the one business it works for, with its role there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member"
    )
    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="staff", verbose_name=_("business")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CASHIER)
    # Empty: the business's language.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text=_("The language this person reads; empty follows the business's."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["business__name", "user__username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()}, {self.business})"

    @property
    def reading_language(self) -> str:
        """The language this person reads: their own choice, else their business's."""
        return self.language or self.business.language

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER

    @property
    def is_manager(self) -> bool:
        """Managers and owners share the back-office rights."""
        return self.role in (Role.MANAGER, Role.OWNER)


class IdempotencyKey(models.Model):
    """The first outcome of a money-moving POST, replayed to retries with the same key."""

    class State(models.TextChoices):
        # The first request holds the key and is still running.
        IN_PROGRESS = "IN_PROGRESS", _("In progress")
        # The first request succeeded; its response is stored for replays.
        COMPLETED = "COMPLETED", _("Completed")

    id = models.BigAutoField(primary_key=True)
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of method, path and body."))
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    # New at every claim: a request whose claim was taken over finds another token here.
    claim_token = models.UUIDField(default=uuid.uuid4)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "user", "key"], name="idempotency_key_unique_per_user"
            )
        ]

    def __str__(self):
        return f"{self.key} ({self.state})"
