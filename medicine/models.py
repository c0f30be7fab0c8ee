"""The catalogue: medicines, their prices and their stock per storefront."""

import uuid
from decimal import Decimal

from django.db import models
from django.db.models import Q
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
