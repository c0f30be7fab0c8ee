"""Shapes of the tills API: tills, their sessions, cash movements and the X/Z report."""

from decimal import Decimal

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pos_project.actors import Actor, display_name
from pos_project.money import LARGEST_AMOUNT, SUM_MAX_DIGITS
from pos_project.serializers import MoneyField, ReadModelSerializer
from sales.api.receipt_serializers import ReceiptBusinessSerializer, ZonedDateTimeField
from sales.api.serializers import MONEY, BusinessStorefrontField, StrictSerializer
from sales.models import CashMovement, CashMovementType, Till, TillSession, TillSessionStatus
from sales.receipt_links import till_report_link_url
from sales.till_report import BLIND_FIELDS, till_report_is_blind

POSITIVE = {"min_value": Decimal("0.01"), "max_value": LARGEST_AMOUNT}
# A report's totals: the live X report adds up amounts that each fit a money column, and may
# come to more than one holds (a close refuses that rather than store it).
TOTAL = {"max_digits": SUM_MAX_DIGITS, "decimal_places": 2}

# --- input ---------------------------------------------------------------------------------


class TillCreateSerializer(StrictSerializer):
    storefront = BusinessStorefrontField(help_text="A storefront of your business.")
    name = serializers.CharField(max_length=80, help_text="Unique at the storefront.")


class TillUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80, required=False)
    is_active = serializers.BooleanField(
        required=False, help_text="A till with an open session stays active until it closes."
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(gettext("Send a name, is_active, or both."))
        return attrs


class TillOpenSerializer(StrictSerializer):
    opening_float = MoneyField(
        min_value=Decimal("0"),
        max_value=LARGEST_AMOUNT,
        help_text='Cash put in the drawer to start, e.g. "200.00"; "0.00" for an empty drawer.',
    )


class CashMovementCreateSerializer(StrictSerializer):
    type = serializers.ChoiceField(choices=CashMovementType.choices)
    amount = MoneyField(**POSITIVE)
    reason = serializers.CharField(max_length=255, help_text="Required: why the cash moves.")


class TillCloseSerializer(StrictSerializer):
    counted_cash = MoneyField(
        min_value=Decimal("0"),
        max_value=LARGEST_AMOUNT,
        help_text="The cash counted in the drawer.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- output --------------------------------------------------------------------------------


class TillSerializer(ReadModelSerializer):
    storefront_name = serializers.CharField(source="storefront.name", read_only=True)

    class Meta:
        model = Till
        fields = ["id", "name", "storefront", "storefront_name", "is_active", "created_at"]
        read_only_fields = fields


class CashMovementSerializer(ReadModelSerializer):
    class Meta:
        model = CashMovement
        fields = ["id", "type", "amount", "reason", "created_by", "created_by_name", "created_at"]
        read_only_fields = fields


BLIND = "Null in a blind report (`blind`)."
BLIND_TOTAL = {**TOTAL, "allow_null": True, "help_text": BLIND}


class TillSessionSerializer(ReadModelSerializer):
    """A session in lists: who, where, when and, once closed, its count and the expected
    cash stored with it (null while open). A cashier's open session is blind: no float."""

    till_name = serializers.CharField(source="till.name", read_only=True)
    storefront = serializers.UUIDField(source="till.storefront_id", read_only=True)
    opened_by_name = serializers.SerializerMethodField()
    opening_float = serializers.DecimalField(
        **MONEY, read_only=True, allow_null=True, help_text=BLIND
    )
    closed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = TillSession
        fields = [
            "id",
            "till",
            "till_name",
            "storefront",
            "status",
            "opened_by",
            "opened_by_name",
            "opened_at",
            "opening_float",
            "closed_by",
            "closed_by_name",
            "closed_at",
            "counted_cash",
            "expected_cash",
            "variance",
            "closing_note",
            "z_number",
        ]
        read_only_fields = fields

    def to_representation(self, session):
        data = super().to_representation(session)
        if self._blind(session):
            data["opening_float"] = None
        return data

    def _blind(self, session) -> bool:
        viewer = Actor.from_request(self.context["request"])
        return till_report_is_blind(session, show_expected=viewer.is_manager)

    def get_opened_by_name(self, session) -> str:
        return display_name(session.opened_by)

    def get_closed_by_name(self, session) -> str | None:
        return display_name(session.closed_by) if session.closed_by_id else None


class TillRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class SalesTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    gross = serializers.DecimalField(**BLIND_TOTAL)
    discounts = serializers.DecimalField(**BLIND_TOTAL)
    net = serializers.DecimalField(**BLIND_TOTAL)


class MethodTotalsSerializer(serializers.Serializer):
    cash = serializers.DecimalField(**BLIND_TOTAL)
    card = serializers.DecimalField(**TOTAL)
    mobile_money = serializers.DecimalField(**TOTAL)


class TenderTotalsSerializer(MethodTotalsSerializer):
    on_account = serializers.DecimalField(**TOTAL)


class TillReportSerializer(serializers.Serializer):
    """The X report (open session, live) or the Z report (closed, as stored at close)."""

    session = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["X", "Z"])
    status = serializers.ChoiceField(choices=TillSessionStatus.choices)
    z_number = serializers.CharField(allow_null=True)
    business = ReceiptBusinessSerializer()
    till = TillRefSerializer()
    storefront = TillRefSerializer()
    cashier = serializers.CharField()
    closed_by = serializers.CharField(allow_null=True)
    opened_at = ZonedDateTimeField(help_text="In the business's time zone.")
    closed_at = ZonedDateTimeField(allow_null=True)
    time_zone = serializers.CharField()
    currency = serializers.CharField()
    currency_symbol = serializers.CharField()
    opening_float = serializers.DecimalField(**MONEY, allow_null=True, help_text=BLIND)
    sales = SalesTotalsSerializer(help_text="Sales completed in the session.")
    tenders = TenderTotalsSerializer(help_text="What those sales were paid with, as tendered.")
    change_given = serializers.DecimalField(**BLIND_TOTAL)
    debt_payments = MethodTotalsSerializer()
    refunds = TenderTotalsSerializer(
        help_text="What went back, by tender; `on_account` came off what customers owed (or "
        "went to their credit), so no money left the drawer."
    )
    pay_ins = serializers.DecimalField(**BLIND_TOTAL)
    pay_outs = serializers.DecimalField(**BLIND_TOTAL)
    blind = serializers.BooleanField(
        help_text="True while a cashier's own session is open: the report shows nothing the "
        "drawer's expected cash could be added up from. These fields are null then: "
        + ", ".join(f"`{name}`" for name in BLIND_FIELDS)
        + ". The count of sales and the non-cash tenders stay; the Z report shows all."
    )
    expected_cash = serializers.DecimalField(**BLIND_TOTAL)
    counted_cash = serializers.DecimalField(**MONEY, allow_null=True)
    variance = serializers.DecimalField(**MONEY, allow_null=True, help_text="Counted - expected.")
    closing_note = serializers.CharField(allow_blank=True)
    report_url = serializers.SerializerMethodField(
        help_text="Opens this report's printable page without a token (signed, expires like "
        "`receipt_url`): `window.open(report_url)`. It shows what this answer shows."
    )

    def get_report_url(self, report) -> str:
        return till_report_link_url(report, self.context.get("request"))


class TillSessionDetailSerializer(TillSessionSerializer):
    """A session with its cash movements and its live (X) or stored (Z) report. When the
    report is blind, so is the rest: no float and no movements."""

    movements = serializers.SerializerMethodField(
        help_text="The pay-ins and pay-outs; empty in a blind report (`report.blind`)."
    )
    report = serializers.SerializerMethodField()

    class Meta(TillSessionSerializer.Meta):
        fields = [*TillSessionSerializer.Meta.fields, "movements", "report"]
        read_only_fields = fields

    @extend_schema_field(CashMovementSerializer(many=True))
    def get_movements(self, session) -> list:
        if self._blind(session):
            return []
        return CashMovementSerializer(session.movements.all(), many=True).data

    @extend_schema_field(TillReportSerializer)
    def get_report(self, session) -> dict:
        return TillReportSerializer(self.context["report"], context=self.context).data
