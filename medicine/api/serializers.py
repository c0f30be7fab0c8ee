"""Shapes of the catalogue API: one input serializer for writes, one output for reads."""

from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from medicine.lot_selectors import ShelfLevel, shelf_levels
from medicine.models import Medicine
from medicine.shelf import local_today
from pos_project.models import Storefront
from pos_project.money import MAX_DIGITS
from pos_project.serializers import MoneyField, StrictSerializer, merge_alias

MIN_PRICE = Decimal("0.01")
POSITIVE_PRICE = gettext_lazy("The price must be greater than zero.")


def price_field(**kwargs) -> serializers.DecimalField:
    return MoneyField(
        min_value=MIN_PRICE,
        error_messages={"min_value": POSITIVE_PRICE},
        **kwargs,
    )


class StockLevelSerializer(serializers.Serializer):
    storefront = serializers.UUIDField(source="storefront_id")
    storefront_name = serializers.CharField(source="storefront.name")
    quantity = serializers.IntegerField(
        help_text=gettext_lazy("Units on hand, expired or recalled ones too.")
    )
    sellable = serializers.SerializerMethodField(
        help_text=gettext_lazy("Units that may be sold today: neither expired nor recalled.")
    )
    nearest_expiry = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The earliest expiry among the sellable units; null when none is dated."
        )
    )

    def _level(self, row) -> ShelfLevel:
        return self.context["levels"].get(row.storefront_id, ShelfLevel(0, None))

    def get_sellable(self, row) -> int:
        return self._level(row).sellable

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_nearest_expiry(self, row) -> str | None:
        nearest = self._level(row).nearest_expiry
        return nearest.isoformat() if nearest else None


class MedicineSerializer(serializers.ModelSerializer):
    """A medicine as the POS reads it: both price names, and stock per storefront."""

    ppv = serializers.DecimalField(
        max_digits=MAX_DIGITS,
        decimal_places=2,
        read_only=True,
        help_text="Public price; the same value as `prix_br`, for front ends that read `ppv`.",
    )
    effective_wholesale_price = serializers.DecimalField(
        max_digits=MAX_DIGITS,
        decimal_places=2,
        read_only=True,
        help_text="The wholesale price, or the public price when no wholesale price is set.",
    )
    stock = serializers.SerializerMethodField(help_text="Units on hand at each storefront.")
    total_stock = serializers.SerializerMethodField(help_text="Units on hand, all storefronts.")

    class Meta:
        model = Medicine
        fields = [
            "id",
            "name",
            "generic_name",
            "form",
            "strength",
            "barcode",
            "prix_br",
            "ppv",
            "wholesale_price",
            "effective_wholesale_price",
            "is_active",
            "stock",
            "total_stock",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    # `.all()` reads the prefetched rows (see medicine.selectors), so no query per medicine.
    @extend_schema_field(StockLevelSerializer(many=True))
    def get_stock(self, medicine: Medicine) -> list[dict]:
        # Expiries count at the business's local date, which the view gives.
        today = self.context.get("today") or local_today(medicine.business)
        levels = shelf_levels(medicine.lots.all(), today)
        return StockLevelSerializer(
            medicine.stocks.all(), many=True, context={"levels": levels}
        ).data

    def get_total_stock(self, medicine: Medicine) -> int:
        return sum(row.quantity for row in medicine.stocks.all())


class MedicineWriteSerializer(StrictSerializer):
    """Create or change a medicine. The price may be sent as `prix_br`, `ppv`, or both."""

    name = serializers.CharField(max_length=200)
    generic_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    form = serializers.CharField(max_length=60, required=False, allow_blank=True)
    strength = serializers.CharField(max_length=60, required=False, allow_blank=True)
    barcode = serializers.CharField(
        max_length=64, required=False, allow_blank=True, allow_null=True
    )
    prix_br = price_field(required=False, help_text="Public retail price (PPV), in the currency.")
    ppv = price_field(required=False, help_text="Same as `prix_br`; send either, or both equal.")
    wholesale_price = price_field(
        required=False,
        allow_null=True,
        help_text="Null to sell wholesale at the public price.",
    )
    is_active = serializers.BooleanField(required=False)

    field_aliases = (("prix_br", "ppv"),)  # read by the schema (pos_project.schema)

    def validate(self, attrs):
        return merge_alias(
            attrs, name="prix_br", alias="ppv", what="price", required=not self.partial
        )


class StockAdjustSerializer(StrictSerializer):
    storefront = serializers.PrimaryKeyRelatedField(
        queryset=Storefront.objects.none(),
        pk_field=serializers.UUIDField(),
        help_text="A storefront of your business.",
    )
    quantity_delta = serializers.IntegerField(
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text="Units to add (positive) or remove (negative); never zero.",
    )
    reason = serializers.CharField(max_length=255, help_text="Why: delivery, breakage, count...")

    def __init__(self, *args, business=None, **kwargs):
        super().__init__(*args, **kwargs)
        if business is not None:
            # Another business's storefront is refused as unknown, exactly like a made-up id.
            self.fields["storefront"].queryset = Storefront.objects.filter(business=business)

    def validate_quantity_delta(self, value: int) -> int:
        if value == 0:
            raise serializers.ValidationError(gettext("Must not be zero."))
        return value
