"""Shapes of the lots API: receiving, adjusting, recalling, and a lot as read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from medicine.models import Lot, Medicine, SaleItemLot
from medicine.services import LotAdjustReason
from pos_project.models import Storefront


class LotSerializer(serializers.ModelSerializer):
    """A lot as read: its medicine and storefront named, whether it is recalled."""

    medicine_name = serializers.CharField(source="medicine.name", read_only=True)
    storefront_name = serializers.CharField(source="storefront.name", read_only=True)
    recalled = serializers.BooleanField(source="is_recalled", read_only=True)

    class Meta:
        model = Lot
        fields = [
            "id",
            "medicine",
            "medicine_name",
            "storefront",
            "storefront_name",
            "lot_number",
            "expiry_date",
            "quantity",
            "received_at",
            "received_by",
            "recalled",
            "recalled_at",
            "recall_reference",
            "recall_date",
        ]
        read_only_fields = fields


class _BusinessScoped(serializers.Serializer):
    def __init__(self, *args, business=None, **kwargs):
        super().__init__(*args, **kwargs)
        if business is not None:
            # Another business's medicine or storefront is refused as unknown.
            for name, model in (("medicine", Medicine), ("storefront", Storefront)):
                if name in self.fields:
                    self.fields[name].queryset = model.objects.filter(business=business)


class LotReceiveSerializer(_BusinessScoped):
    medicine = serializers.PrimaryKeyRelatedField(
        queryset=Medicine.objects.none(), pk_field=serializers.UUIDField()
    )
    storefront = serializers.PrimaryKeyRelatedField(
        queryset=Storefront.objects.none(), pk_field=serializers.UUIDField()
    )
    lot_number = serializers.CharField(max_length=64, help_text=_("As printed on the box."))
    expiry_date = serializers.DateField(help_text=_("As printed on the box; not in the past."))
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)


class LotAdjustSerializer(serializers.Serializer):
    quantity_delta = serializers.IntegerField(
        min_value=-1_000_000,
        max_value=1_000_000,
        help_text=_("Units to add (positive) or remove (negative); never zero."),
    )
    reason = serializers.ChoiceField(choices=LotAdjustReason.choices)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class LotWriteOffSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class LotRecallSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=120, help_text=_("The recall notice's reference."))
    date = serializers.DateField(help_text=_("The date of the recall notice."))


class LotSaleSerializer(serializers.ModelSerializer):
    """A sale line that took units of a recalled lot: whom to call."""

    sale = serializers.UUIDField(source="item.sale_id")
    receipt_number = serializers.CharField(source="item.sale.receipt_number")
    status = serializers.CharField(source="item.sale.status")
    completed_at = serializers.DateTimeField(source="item.sale.completed_at")
    storefront = serializers.UUIDField(source="lot.storefront_id")
    lot = serializers.UUIDField(source="lot_id")
    customer = serializers.UUIDField(source="item.sale.customer_id", allow_null=True)
    customer_name = serializers.CharField(source="item.sale.customer.name", default=None)
    customer_phone = serializers.CharField(source="item.sale.customer.phone", default=None)

    class Meta:
        model = SaleItemLot
        fields = [
            "sale",
            "receipt_number",
            "status",
            "completed_at",
            "storefront",
            "lot",
            "customer",
            "customer_name",
            "customer_phone",
            "quantity",
            "returned_quantity",
        ]
        read_only_fields = fields
