"""The catalogue: medicines, their prices and their stock per storefront."""

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pos_project.money import money_field


def _compact(text: str) -> str:
    return "".join(text.split()).casefold()


class Medicine(models.Model):
    """A product on the shelf.

    `prix_br` is the public retail price; front ends also read it as `ppv`. A line never
    sells above it. `wholesale_price`, when empty, falls back to `prix_br`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    business = models.ForeignKey(
        "pos_project.Business",
        on_delete=models.PROTECT,
        related_name="medicines",
        verbose_name=_("business"),
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    generic_name = models.CharField(max_length=200, blank=True, verbose_name=_("generic name"))
    form = models.CharField(
        max_length=60, blank=True, help_text=_("Tablet, syrup, cream..."), verbose_name=_("form")
    )
    strength = models.CharField(
        max_length=60, blank=True, help_text=_("500 mg, 1 g/5 ml..."), verbose_name=_("strength")
    )
    # NULL, not "", when absent: the per-business unique constraint ignores NULLs.
    barcode = models.CharField(max_length=64, null=True, blank=True, verbose_name=_("barcode"))  # noqa: DJ001
    prix_br = money_field(verbose_name=_("retail price (PPV)"))
    wholesale_price = money_field(null=True, blank=True, verbose_name=_("wholesale price"))
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("medicine")
        verbose_name_plural = _("medicines")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "barcode"], name="medicine_unique_barcode_per_business"
            ),
            models.CheckConstraint(condition=Q(prix_br__gt=0), name="medicine_price_positive"),
            models.CheckConstraint(
                condition=Q(wholesale_price__isnull=True) | Q(wholesale_price__gt=0),
                name="medicine_wholesale_price_positive",
            ),
        ]
        indexes = [models.Index(fields=["business", "name"], name="medicine_business_name")]

    def __str__(self):
        """The name with its strength once: "Amlor 5 mg", and "Amlor 5mg" as it is when the
        name already carries its strength, however spaced or cased."""
        strength = self.strength.strip()
        if not strength or _compact(strength) in _compact(self.name):
            return self.name.strip()
        return f"{self.name.strip()} {strength}"

    @property
    def described(self) -> str:
        """The name, strength and form, as a till tells two packs of one name apart:
        "Amoxil 500 mg, capsule"."""
        form = self.form.strip()
        return f"{self}, {form}" if form else str(self)

    @property
    def ppv(self) -> Decimal:
        return self.prix_br

    @property
    def effective_wholesale_price(self) -> Decimal:
        return self.wholesale_price if self.wholesale_price is not None else self.prix_br


class Stock(models.Model):
    """How many units of a medicine one storefront has. Never below zero."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (medicine, storefront) leads with it.
    medicine = models.ForeignKey(
        Medicine,
        on_delete=models.CASCADE,
        related_name="stocks",
        db_index=False,
        verbose_name=_("medicine"),
    )
    storefront = models.ForeignKey(
        "pos_project.Storefront",
        on_delete=models.PROTECT,
        related_name="stocks",
        verbose_name=_("storefront"),
    )
    quantity = models.IntegerField(default=0, verbose_name=_("quantity"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        ordering = ["medicine", "storefront"]
        constraints = [
            models.UniqueConstraint(
                fields=["medicine", "storefront"], name="stock_one_row_per_storefront"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_not_negative"),
        ]

    def __str__(self):
        return f"{self.medicine} @ {self.storefront}: {self.quantity}"


class Lot(models.Model):
    """Boxes of one medicine at one storefront that share a lot number and an expiry date.

    A storefront's stock of a medicine (`Stock.quantity`) is the sum of its lots, kept in
    the transaction that changes either. Stock from before lots were tracked is one lot
    with neither number nor expiry, sold after every dated lot. A recalled lot is never
    sold again; an expired one neither.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (medicine, storefront, lot_number) leads with it.
    medicine = models.ForeignKey(
        Medicine, on_delete=models.CASCADE, related_name="lots", db_index=False
    )
    storefront = models.ForeignKey(
        "pos_project.Storefront", on_delete=models.PROTECT, related_name="lots"
    )
    # NULL, not "", for stock received before lots: unique constraints ignore NULLs, and a
    # partial one allows a single such lot per medicine and storefront.
    lot_number = models.CharField(  # noqa: DJ001
        _("lot number"), max_length=64, null=True, blank=True
    )
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    quantity = models.IntegerField(_("quantity"), default=0)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    recalled_at = models.DateTimeField(_("recalled at"), null=True, blank=True)
    recall_reference = models.CharField(_("recall reference"), max_length=120, blank=True)
    recall_date = models.DateField(_("recall date"), null=True, blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["medicine", "storefront", "expiry_date", "received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["medicine", "storefront", "lot_number"],
                name="lot_unique_number_per_storefront",
            ),
            models.UniqueConstraint(
                fields=["medicine", "storefront"],
                condition=Q(lot_number__isnull=True),
                name="lot_one_unnumbered_per_storefront",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="lot_not_negative"),
            # A tracked lot has both its number and its expiry; stock from before lots has
            # neither.
            models.CheckConstraint(
                condition=(Q(lot_number__isnull=True) & Q(expiry_date__isnull=True))
                | (Q(lot_number__isnull=False) & Q(expiry_date__isnull=False)),
                name="lot_number_and_expiry_together",
            ),
        ]
        indexes = [
            models.Index(fields=["lot_number"], name="lot_by_number"),
            models.Index(fields=["storefront", "expiry_date"], name="lot_by_expiry"),
        ]

    def __str__(self):
        if self.lot_number is None:
            return _("%(medicine)s, stock without lot") % {"medicine": self.medicine}
        return _("%(medicine)s, lot %(number)s") % {
            "medicine": self.medicine,
            "number": self.lot_number,
        }

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None

    def is_expired(self, today: date) -> bool:
        """Expired on `today` (a local date): its expiry day is past. A box expiring today
        still sells today."""
        return self.expiry_date is not None and self.expiry_date < today


class SaleItemLot(models.Model):
    """The units of one sale line taken from one lot, and how many of them came back (a
    return or a cancellation): who bought a recalled lot, and where a return goes back."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (item, lot) leads with it.
    item = models.ForeignKey(
        "sales.SaleItem", on_delete=models.CASCADE, related_name="lots", db_index=False
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="sale_takes")
    quantity = models.PositiveIntegerField()
    returned_quantity = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("units of a lot sold on a line")
        verbose_name_plural = _("units of lots sold on lines")
        ordering = ["item", "lot"]
        constraints = [
            models.UniqueConstraint(fields=["item", "lot"], name="sale_item_lot_once"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="sale_item_lot_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=F("quantity")),
                name="sale_item_lot_returned_within_quantity",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.lot}"


class ReturnItemLot(models.Model):
    """The units of one returned line that went back into one lot, or, for a line kept off
    the shelf, the lot they were sold from: a recall reaches a returned box through it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: the unique (return item, lot) leads with it.
    return_item = models.ForeignKey(
        "sales.ReturnItem", on_delete=models.CASCADE, related_name="lots", db_index=False
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="return_takes")
    quantity = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("units of a lot returned on a line")
        verbose_name_plural = _("units of lots returned on lines")
        ordering = ["return_item", "lot"]
        constraints = [
            models.UniqueConstraint(fields=["return_item", "lot"], name="return_item_lot_once"),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="return_item_lot_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} x {self.lot}"
