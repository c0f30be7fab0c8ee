"""What the accounts-receivable endpoints read and return: payments, adjustments, histories."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from pos_project.serializers import MoneyField, ReadModelSerializer, StrictSerializer
from receivables.descriptions import ledger_description
from receivables.models import (
    AdjustmentType,
    CustomerLedgerEntry,
    CustomerPayment,
    DebtPaymentMethod,
)
from receivables.statements import EARLIEST_DAY, LATEST_DAY, STATEMENT_DAY_VALIDATORS
from sales.models import SaleStatus
from sales.receipt_links import receipt_link_url


def _money(**kwargs) -> serializers.DecimalField:
    return MoneyField(**kwargs)


# --- bodies -----------------------------------------------------------------------------


class RecordPaymentSerializer(StrictSerializer):
    """Body of `record_payment`. Amount rules (positive, two decimals) are the service's."""

    amount = _money(help_text='Amount paid, e.g. "120.50": more than 0, at most two decimals.')
    method = serializers.ChoiceField(choices=DebtPaymentMethod.choices)
    reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Card slip or mobile-money transaction number.",
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    allow_overpayment = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "A payment above what is owed is refused (400, with `outstanding_balance`) unless "
            "this is true; the extra is then held as credit for the customer's next "
            "on-account sales. Managers may; cashiers only when the business lets cashiers "
            "take deposits (`cashiers_take_deposits` in /api/me/)."
        ),
    )


class AdjustCreditSerializer(StrictSerializer):
    """Body of `adjust_credit`."""

    amount = _money(help_text="More than 0, at most two decimals.")
    type = serializers.ChoiceField(
        choices=[
            (AdjustmentType.ADD, "Give the customer credit: their balance goes down."),
            (AdjustmentType.DEDUCT, "Take credit held for the customer back, up to what is held."),
        ]
    )
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=(
            "Why; kept on the statement and in the audit log. Optional: without one they say "
            '"no reason given".'
        ),
    )


class LedgerQuerySerializer(serializers.Serializer):
    """`?since=` and `?until=` of the statement: calendar days in the business's time zone."""

    since = serializers.DateField(
        required=False,
        validators=STATEMENT_DAY_VALIDATORS,
        help_text=f"First day included (YYYY-MM-DD), {EARLIEST_DAY} to {LATEST_DAY}.",
    )
    until = serializers.DateField(
        required=False,
        validators=STATEMENT_DAY_VALIDATORS,
        help_text=f"Last day included (YYYY-MM-DD), {EARLIEST_DAY} to {LATEST_DAY}.",
    )

    def validate(self, attrs):
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and since > until:
            raise serializers.ValidationError({"until": [_("Must not be before 'since'.")]})
        return attrs


# --- answers ----------------------------------------------------------------------------


class AllocationSerializer(serializers.Serializer):
    """How much of a payment or credit settles which sale."""

    sale = serializers.UUIDField(source="sale_id")
    receipt_number = serializers.CharField(source="sale.receipt_number", allow_null=True)
    amount = _money()


class CustomerPaymentSerializer(ReadModelSerializer):
    """A payment received, and the sales it settled (oldest first)."""

    allocations = serializers.SerializerMethodField()

    class Meta:
        model = CustomerPayment
        fields = [
            "id",
            "amount",
            "method",
            "reference",
            "note",
            "received_by_name",
            "till_session",
            "created_at",
            "allocations",
        ]
        read_only_fields = fields

    @staticmethod
    def _allocations(payment):
        # Read from the prefetch cache when the list prefetched it.
        entry = payment.ledger_entry
        return sorted(entry.allocations.all(), key=lambda a: (a.created_at, str(a.id)))

    @extend_schema_field(AllocationSerializer(many=True))
    def get_allocations(self, payment):
        return AllocationSerializer(self._allocations(payment), many=True).data


class RecordPaymentResultSerializer(CustomerPaymentSerializer):
    """The payment just recorded, and the customer's balance after it."""

    outstanding_balance = _money(
        source="customer.outstanding_balance",
        help_text="The customer's balance now; negative is credit held for them.",
    )

    class Meta(CustomerPaymentSerializer.Meta):
        fields = [*CustomerPaymentSerializer.Meta.fields, "outstanding_balance"]
        read_only_fields = fields


class LedgerEntrySerializer(ReadModelSerializer):
    """One line of a customer's statement."""

    sale = serializers.UUIDField(source="sale_id", allow_null=True)
    receipt_number = serializers.CharField(
        source="sale.receipt_number", allow_null=True, default=None
    )
    payment = serializers.UUIDField(source="payment_id", allow_null=True)
    description = serializers.SerializerMethodField(
        help_text="What the entry is, in the answer's language (`entry_type` is the code)."
    )

    class Meta:
        model = CustomerLedgerEntry
        fields = [
            "id",
            "sequence",
            "created_at",
            "entry_type",
            "description",
            "amount",
            "balance_after",
            "sale",
            "receipt_number",
            "payment",
            "created_by_name",
        ]
        read_only_fields = fields

    def get_description(self, entry) -> str:
        # The entry's customer is the one its list was read through, its business with it.
        return ledger_description(entry, symbol=entry.customer.business.currency_symbol)


class CreditAdjustmentResultSerializer(LedgerEntrySerializer):
    """The adjustment's ledger entry, and the customer's balance after it."""

    outstanding_balance = _money(source="customer.outstanding_balance")

    class Meta(LedgerEntrySerializer.Meta):
        fields = [*LedgerEntrySerializer.Meta.fields, "outstanding_balance"]
        read_only_fields = fields


class SalePaymentStatus:
    # Nothing is left to pay: paid at the till, or the on-account part is settled.
    PAID = "paid"
    # Some of the on-account part is settled, some still due.
    PARTLY_PAID = "partly_paid"
    # None of the on-account part is settled yet.
    UNPAID = "unpaid"
    CHOICES = [
        (PAID, gettext_lazy("Paid")),
        (PARTLY_PAID, gettext_lazy("Partly paid")),
        (UNPAID, gettext_lazy("Unpaid")),
    ]


def sale_payment_status(sale) -> str | None:
    """Paid, partly paid or unpaid, by what is allocated to the sale; None once cancelled."""
    if sale.status != SaleStatus.COMPLETED:
        return None
    if sale.amount_due <= 0:
        return SalePaymentStatus.PAID
    if sale.amount_due < sale.on_account_amount:
        return SalePaymentStatus.PARTLY_PAID
    return SalePaymentStatus.UNPAID


class PurchaseHistorySerializer(serializers.Serializer):
    """A row of the customer's purchase history, linked to the sale and its receipt."""

    id = serializers.UUIDField()
    receipt_number = serializers.CharField(allow_null=True)
    date = serializers.DateTimeField(
        source="completed_at", help_text="When the sale was completed."
    )
    total_amount = _money()
    status = serializers.ChoiceField(choices=SaleStatus.choices)
    on_account_amount = _money(help_text="Charged to the customer's account.")
    amount_due = _money(help_text="What is still owed on this sale.")
    payment_status = serializers.SerializerMethodField(
        help_text="paid, partly_paid or unpaid; null for a cancelled sale."
    )
    url = serializers.SerializerMethodField(help_text="The sale's detail.")
    receipt_url = serializers.SerializerMethodField(
        help_text="Opens the printable receipt without a token: a signed link, 24 h by default."
    )
    cancelled_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(
        serializers.ChoiceField(choices=SalePaymentStatus.CHOICES, allow_null=True)
    )
    def get_payment_status(self, sale):
        return sale_payment_status(sale)

    def _link(self, name: str, sale) -> str:
        return reverse(name, kwargs={"pk": sale.pk}, request=self.context.get("request"))

    def get_url(self, sale) -> str:
        return self._link("sale-detail", sale)

    def get_receipt_url(self, sale) -> str:
        return receipt_link_url(sale, self.context.get("request"))
