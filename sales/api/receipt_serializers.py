"""The receipt as JSON: what the printed receipt shows, for a POS that lays it out itself;
and the parts the other printed documents' JSON shares with it."""

from rest_framework import serializers

from sales.api.serializers import MONEY, SOLD_LOTS_HELP, SoldLotSerializer
from sales.models import PaymentMethod

# The parts every printed document's JSON shares (the receipt, the return slip, the X and Z
# reports): who issued it, where, for whom, and when in the business's time zone.


class ReceiptBusinessSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class ReceiptStorefrontSerializer(ReceiptBusinessSerializer):
    address = serializers.CharField()


class ReceiptCustomerSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    name = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)


class ZonedDateTimeField(serializers.DateTimeField):
    """Keeps the time zone the value carries (the business's) instead of the server's."""

    def enforce_timezone(self, value):
        return value if value.tzinfo is not None else super().enforce_timezone(value)


class ReceiptLineSerializer(serializers.Serializer):
    medicine = serializers.UUIDField()
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_price = serializers.DecimalField(**MONEY)
    discount = serializers.DecimalField(**MONEY)
    line_total = serializers.DecimalField(**MONEY)
    returned_quantity = serializers.IntegerField(help_text="Units brought back since.")
    lots = SoldLotSerializer(many=True, help_text=SOLD_LOTS_HELP)


class ReceiptPaymentSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = serializers.DecimalField(**MONEY)
    reference = serializers.CharField(allow_blank=True)


class ReceiptSerializer(serializers.Serializer):
    """What the printed receipt shows, for a POS that lays it out itself."""

    sale = serializers.UUIDField()
    receipt_number = serializers.CharField()
    status = serializers.CharField()
    type = serializers.CharField()
    business = ReceiptBusinessSerializer()
    storefront = ReceiptStorefrontSerializer()
    date = ZonedDateTimeField(help_text="In the business's time zone.")
    time_zone = serializers.CharField()
    cashier = serializers.CharField()
    customer = ReceiptCustomerSerializer()
    lines = ReceiptLineSerializer(many=True)
    subtotal = serializers.DecimalField(**MONEY)
    discount_total = serializers.DecimalField(**MONEY)
    total_amount = serializers.DecimalField(**MONEY)
    payments = ReceiptPaymentSerializer(many=True)
    amount_paid = serializers.DecimalField(**MONEY)
    change_due = serializers.DecimalField(**MONEY)
    on_account_amount = serializers.DecimalField(**MONEY)
    returned_total = serializers.DecimalField(
        **MONEY, help_text="Given back by the sale's returns since."
    )
    balance_after = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="The customer's balance right after this sale."
    )
    currency = serializers.CharField()
    currency_symbol = serializers.CharField()
    cancelled_at = ZonedDateTimeField(allow_null=True)
    cancel_reason = serializers.CharField(allow_blank=True)
