"""Shapes of the returns API: the body that takes a return, the return, and its slip."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from medicine.sold_lots import sold_lots
from pos_project.actors import display_name
from pos_project.serializers import ReadModelSerializer
from sales.api.receipt_serializers import (
    ReceiptBusinessSerializer,
    ReceiptCustomerSerializer,
    ReceiptStorefrontSerializer,
    ZonedDateTimeField,
)
from sales.api.serializers import MONEY, SoldLotSerializer, StrictSerializer
from sales.models import CHOSEN_REFUND_METHODS, RefundMethod, Return, ReturnItem, ReturnRefund
from sales.receipt_links import return_slip_link_url
from sales.services import MAX_QUANTITY
from sales.services.return_lines import MAX_RETURN_LINES

# --- input ---------------------------------------------------------------------------------

# What a caller may ask for; named in the schema's enums (settings ENUM_NAME_OVERRIDES).
REFUND_METHOD_CHOICES = [(method.value, method.label) for method in CHOSEN_REFUND_METHODS]


class ReturnLineInputSerializer(StrictSerializer):
    item = serializers.UUIDField(help_text="A line of this sale (its id in the sale's `items`).")
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        help_text="Units brought back: at most sold less already returned.",
    )
    restock = serializers.BooleanField(
        default=True, help_text="false for damaged or expired goods: they stay off the shelf."
    )


class ReturnCreateSerializer(StrictSerializer):
    items = ReturnLineInputSerializer(many=True, allow_empty=False, max_length=MAX_RETURN_LINES)
    reason = serializers.CharField(max_length=500, help_text="Why the goods come back.")
    refund_method = serializers.ChoiceField(
        choices=REFUND_METHOD_CHOICES,
        required=False,
        help_text=(
            "How the part not owed on the sale goes back. Default: ACCOUNT when the sale had "
            "an on-account tender, else CASH. ACCOUNT needs a customer on the sale."
        ),
    )


# --- output --------------------------------------------------------------------------------


RETURNED_LOTS_HELP = (
    "The lots the line's units went back into (kept off the shelf: the lots they were sold "
    "from), earliest expiry first, as the return slip prints them. Units sold from stock "
    "without a lot number are not listed."
)


class ReturnItemSerializer(ReadModelSerializer):
    medicine = serializers.UUIDField(source="sale_item.medicine_id", read_only=True)
    medicine_name = serializers.CharField(source="sale_item.medicine_name", read_only=True)
    lots = serializers.SerializerMethodField(help_text=RETURNED_LOTS_HELP)

    class Meta:
        model = ReturnItem
        fields = [
            "id",
            "sale_item",
            "medicine",
            "medicine_name",
            "quantity",
            "amount",
            "restocked",
            "lots",
        ]
        read_only_fields = fields

    @extend_schema_field(SoldLotSerializer(many=True))
    def get_lots(self, line) -> list:
        return SoldLotSerializer(sold_lots(line), many=True).data


class ReturnRefundSerializer(ReadModelSerializer):
    class Meta:
        model = ReturnRefund
        fields = ["method", "amount"]
        read_only_fields = fields


class ReturnSerializer(ReadModelSerializer):
    """A return with its lines and refunds. `AMOUNT_DUE` is what came off the amount the
    customer still owed on the sale."""

    receipt_number = serializers.CharField(source="sale.receipt_number", read_only=True)
    customer = serializers.UUIDField(source="sale.customer_id", read_only=True, allow_null=True)
    customer_name = serializers.CharField(source="sale.customer_name", read_only=True)
    currency = serializers.CharField(source="business.currency_code", read_only=True)
    created_by_name = serializers.SerializerMethodField()
    items = ReturnItemSerializer(many=True, read_only=True)
    refunds = ReturnRefundSerializer(many=True, read_only=True)
    slip_url = serializers.SerializerMethodField(
        help_text="Opens the printable return slip without a token (signed, expires like "
        "`receipt_url`): `window.open(slip_url)`."
    )

    class Meta:
        model = Return
        fields = [
            "id",
            "number",
            "sale",
            "receipt_number",
            "customer",
            "customer_name",
            "reason",
            "refund_method",
            "total",
            "currency",
            "items",
            "refunds",
            "till_session",
            "created_by",
            "created_by_name",
            "created_at",
            "slip_url",
        ]
        read_only_fields = fields

    def get_created_by_name(self, sale_return) -> str:
        return display_name(sale_return.created_by)

    def get_slip_url(self, sale_return) -> str:
        return return_slip_link_url(sale_return, self.context.get("request"))


class ReturnSlipLineSerializer(serializers.Serializer):
    sale_item = serializers.UUIDField()
    medicine = serializers.UUIDField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    amount = serializers.DecimalField(**MONEY)
    restocked = serializers.BooleanField()
    lots = SoldLotSerializer(many=True, help_text=RETURNED_LOTS_HELP)


class ReturnSlipRefundSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=RefundMethod.choices)
    amount = serializers.DecimalField(**MONEY)


class ReturnSlipSerializer(serializers.Serializer):
    """What the printed return slip shows, for a POS that lays it out itself."""

    sale_return = serializers.UUIDField()
    number = serializers.CharField()
    sale = serializers.UUIDField()
    receipt_number = serializers.CharField(help_text="The original sale's receipt number.")
    business = ReceiptBusinessSerializer()
    storefront = ReceiptStorefrontSerializer()
    date = ZonedDateTimeField(help_text="In the business's time zone.")
    sale_date = ZonedDateTimeField()
    time_zone = serializers.CharField()
    taken_by = serializers.CharField()
    customer = ReceiptCustomerSerializer()
    reason = serializers.CharField()
    lines = ReturnSlipLineSerializer(many=True)
    total = serializers.DecimalField(**MONEY)
    refunds = ReturnSlipRefundSerializer(many=True)
    currency = serializers.CharField()
    currency_symbol = serializers.CharField()
