"""Shapes of the sales API: strict input bodies, and the sale as the POS reads it."""

from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from medicine.sold_lots import sold_lots
from pos_project.actors import display_name
from pos_project.models import Storefront
from pos_project.serializers import (
    MoneyField,
    ReadModelSerializer,
    StrictSerializer,
    merge_alias,
)
from sales.models import Payment, PaymentMethod, Sale, SaleItem, SaleStatus, SaleType
from sales.receipt_links import receipt_link_url
from sales.services import MAX_QUANTITY

MONEY = {"max_digits": 14, "decimal_places": 2}
# More lines than any counter holds; a bound, so one request cannot lock the whole shelf.
MAX_CART_LINES = 200


# --- input ---------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.UUID)
class BusinessStorefrontField(serializers.PrimaryKeyRelatedField):
    """A storefront of the caller's business; another business's is 'does not exist'."""

    def get_queryset(self):
        business = self.context.get("business")
        if business is None:
            return Storefront.objects.none()
        return Storefront.objects.filter(business=business)


class SaleCreateSerializer(StrictSerializer):
    storefront = BusinessStorefrontField(help_text="A storefront of your business.")
    type = serializers.ChoiceField(choices=SaleType.choices, default=SaleType.RETAIL)
    status = serializers.ChoiceField(
        choices=[(SaleStatus.DRAFT, SaleStatus.DRAFT.label)],
        required=False,
        help_text="Optional: a sale is born a DRAFT; any other status is refused.",
        error_messages={
            "invalid_choice": gettext_lazy(
                "A sale starts as a DRAFT; complete or cancel it once it is open."
            )
        },
    )
    customer = serializers.UUIDField(
        required=False, allow_null=True, help_text="Empty for a walk-in customer."
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SaleUpdateSerializer(StrictSerializer):
    type = serializers.ChoiceField(
        choices=SaleType.choices, required=False, help_text="Re-prices every line."
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LineMedicineSerializer(StrictSerializer):
    """A line's medicine, sent as `medicine` or as `product` (the name front ends written for
    other systems use, as `ppv` is for `prix_br`)."""

    medicine = serializers.UUIDField(
        required=False, help_text="A medicine of your catalogue (or send it as `product`)."
    )
    product = serializers.UUIDField(
        required=False, help_text="Same as `medicine`; send either, or both equal."
    )

    field_aliases = (("medicine", "product"),)  # read by the schema (pos_project.schema)

    def validate(self, attrs):
        return merge_alias(attrs, name="medicine", alias="product", what="medicine", required=True)


class SaleItemAddSerializer(LineMedicineSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    discount = MoneyField(
        min_value=Decimal("0"),
        required=False,
        help_text="Taken off the whole line; at most the line's value.",
    )


class SaleItemUpdateSerializer(StrictSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY, required=False)
    discount = MoneyField(
        min_value=Decimal("0"),
        required=False,
        help_text="Replaces the line's discount; at most the line's value.",
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(gettext("Send a quantity, a discount, or both."))
        return attrs


class UpdateCustomerSerializer(StrictSerializer):
    """The customer is read first by seed 004's own rules (`services.parse_customer_id`)."""

    customer = serializers.UUIDField(help_text="The customer to assign to the sale.")


class PaymentInputSerializer(StrictSerializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = MoneyField(min_value=Decimal("0.01"))
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)


class SaleCompleteSerializer(StrictSerializer):
    payments = PaymentInputSerializer(many=True, allow_empty=True, max_length=20)
    override_credit_limit = serializers.BooleanField(
        default=False,
        help_text="Managers and owners only: complete even beyond the customer's credit limit.",
    )


class CartLineSerializer(LineMedicineSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    discount = MoneyField(
        min_value=Decimal("0"),
        required=False,
        help_text="Taken off the whole line; at most the line's value.",
    )


class SaleCheckoutSerializer(StrictSerializer):
    """A whole cart and its payments: what the draft flow's create, items and complete take."""

    storefront = BusinessStorefrontField(help_text="A storefront of your business.")
    type = serializers.ChoiceField(choices=SaleType.choices, default=SaleType.RETAIL)
    customer = serializers.UUIDField(
        required=False, allow_null=True, help_text="Empty for a walk-in customer."
    )
    items = CartLineSerializer(
        many=True,
        allow_empty=True,
        max_length=MAX_CART_LINES,
        help_text="The same medicine sent twice is one line, its quantities and discounts added.",
    )
    payments = PaymentInputSerializer(many=True, allow_empty=True, max_length=20)
    override_credit_limit = serializers.BooleanField(
        default=False,
        help_text="Managers and owners only: complete even beyond the customer's credit limit.",
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class SaleCancelSerializer(StrictSerializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Optional for a DRAFT; required to cancel a COMPLETED sale.",
    )


# --- output --------------------------------------------------------------------------------


class SaleItemSerializer(ReadModelSerializer):
    class Meta:
        model = SaleItem
        fields = [
            "id",
            "medicine",
            "medicine_name",
            "unit_price",
            "quantity",
            "discount",
            "line_total",
            "returned_quantity",
        ]
        read_only_fields = fields


class SoldLotSerializer(serializers.Serializer):
    lot_number = serializers.CharField()
    expiry_date = serializers.DateField()
    quantity = serializers.IntegerField(help_text="Units of the line taken from this lot.")


SOLD_LOTS_HELP = (
    "The lots the line took, earliest expiry first, as the receipt prints them. Units sold "
    "from stock without a lot number are not listed. Empty for a DRAFT."
)


class SaleItemWithLotsSerializer(SaleItemSerializer):
    lots = serializers.SerializerMethodField(help_text=SOLD_LOTS_HELP)

    class Meta(SaleItemSerializer.Meta):
        fields = [*SaleItemSerializer.Meta.fields, "lots"]
        read_only_fields = fields

    @extend_schema_field(SoldLotSerializer(many=True))
    def get_lots(self, item) -> list:
        # Lots are taken as a sale completes: a DRAFT's lines answer [] without a query (the
        # line's sale is the one it was read through).
        if item.sale.status == SaleStatus.DRAFT:
            return []
        return SoldLotSerializer(sold_lots(item), many=True).data


class PaymentSerializer(ReadModelSerializer):
    till_session = serializers.UUIDField(
        source="sale.till_session_id",
        read_only=True,
        allow_null=True,
        help_text="The till session that took it (the sale's); null without one.",
    )

    class Meta:
        model = Payment
        fields = ["id", "method", "amount", "reference", "till_session", "created_at"]
        read_only_fields = fields


class SaleSerializer(ReadModelSerializer):
    """A sale in lists: its totals, without its lines."""

    customer_name = serializers.CharField(read_only=True, help_text='"Walk-in Customer" if none.')
    storefront_name = serializers.CharField(source="storefront.name", read_only=True)
    created_by_name = serializers.SerializerMethodField()
    currency = serializers.CharField(source="business.currency_code", read_only=True)
    receipt_url = serializers.SerializerMethodField(
        help_text=(
            "Opens the printable receipt without a token (for window.open): a signed link to "
            "this receipt only, valid for 24 hours by default. Null for a draft."
        )
    )

    class Meta:
        model = Sale
        fields = [
            "id",
            "receipt_number",
            "status",
            "type",
            "business",
            "storefront",
            "storefront_name",
            "customer",
            "customer_name",
            "subtotal",
            "discount_total",
            "total_amount",
            "amount_paid",
            "change_due",
            "on_account_amount",
            "amount_due",
            "returned_total",
            "currency",
            "notes",
            "created_by",
            "created_by_name",
            "created_at",
            "updated_at",
            "completed_at",
            "cancelled_at",
            "cancel_reason",
            "till_session",
            "cancellation_till_session",
            "receipt_url",
        ]
        read_only_fields = fields

    def get_created_by_name(self, sale) -> str:
        return display_name(sale.created_by)

    def get_receipt_url(self, sale) -> str | None:
        return receipt_link_url(sale, self.context.get("request"))


class SaleWithLinesSerializer(SaleSerializer):
    """A sale with its lines and payments, as a completion answers it (`complete` and the
    one-request checkout): without the lines' lots, which would cost the checkout a statement
    of its pinned budget (docs/performance.md); the sale's detail has them."""

    items = SaleItemSerializer(many=True, read_only=True)
    payments = serializers.SerializerMethodField()

    class Meta(SaleSerializer.Meta):
        fields = [*SaleSerializer.Meta.fields, "items", "payments"]
        read_only_fields = fields

    @extend_schema_field(PaymentSerializer(many=True))
    def get_payments(self, sale) -> list:
        # Payments are taken only as a sale completes: a DRAFT's list is empty without a query.
        if sale.status == SaleStatus.DRAFT:
            return []
        return PaymentSerializer(sale.payments.all(), many=True).data


class SaleDetailSerializer(SaleWithLinesSerializer):
    """A sale with its lines, the lots each took, and its payments."""

    items = SaleItemWithLotsSerializer(many=True, read_only=True)


class UpdateCustomerResponseSerializer(serializers.Serializer):
    message = serializers.CharField()
    previous_customer = serializers.CharField()
    new_customer = serializers.CharField()
    sale = SaleDetailSerializer()
