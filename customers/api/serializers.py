"""What the customer endpoints read and return."""

from rest_framework import serializers

from customers.models import Customer, CustomerType
from customers.services import DeleteOutcome
from pos_project.money import MAX_DIGITS, SUM_MAX_DIGITS
from pos_project.serializers import MoneyField, ReadModelSerializer, StrictSerializer

MANAGER_ONLY_HELP = (
    "Managers and owners only: a cashier who sends a value that differs from the current "
    "one gets a 403 naming this field."
)


class CustomerSerializer(ReadModelSerializer):
    """A customer as every endpoint returns it."""

    # Not an email-format field: "" (no address) is a valid answer.
    email = serializers.CharField(read_only=True, help_text="Empty when unknown.")
    has_credit_limit = serializers.BooleanField(read_only=True)
    available_credit = serializers.DecimalField(
        # A limit less a balance of credit held: up to twice the largest amount.
        max_digits=MAX_DIGITS + 1,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="credit_limit - outstanding_balance; null when there is no limit.",
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "phone",
            "email",
            "address",
            "notes",
            "customer_type",
            "credit_limit",
            "has_credit_limit",
            "available_credit",
            "outstanding_balance",
            "total_purchases",
            "sales_count",
            "last_purchase_date",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CustomerWriteSerializer(StrictSerializer):
    """The body of create (POST), replace (PUT) and update (PATCH).

    The statistics, the balance and the timestamps are not accepted: only sales and
    payments move them.
    """

    read_only_names = frozenset(CustomerSerializer.Meta.fields)

    name = serializers.CharField(max_length=200, help_text="Full name; required, not blank.")
    phone = serializers.CharField(
        max_length=32,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=(
            "Any format of the business's region ('06 12 34 56 78') or international "
            "('+212 6 12 34 56 78'); stored as E.164. Unique in the business: a number "
            "already in use gets a 400 with `existing_customer`."
        ),
    )
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    notes = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, trim_whitespace=False
    )
    customer_type = serializers.ChoiceField(choices=CustomerType.choices, required=False)
    credit_limit = MoneyField(
        min_value=0,
        required=False,
        allow_null=True,
        help_text=f"Empty: no limit; 0: no credit at all. {MANAGER_ONLY_HELP}",
    )
    is_active = serializers.BooleanField(
        required=False,
        help_text=(
            f"false hides the customer from the POS search and new sales. {MANAGER_ONLY_HELP}"
        ),
    )


class CustomerDeletedSerializer(serializers.Serializer):
    """Answer to a DELETE that kept the customer because of their history."""

    outcome = serializers.ChoiceField(choices=DeleteOutcome.choices)
    message = serializers.CharField()
    customer = CustomerSerializer()


class CustomerStatsQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=3650,
        default=90,
        help_text="How far back a purchase makes a customer active (1 to 3650, default 90).",
    )


def _money(**kwargs) -> serializers.DecimalField:
    kwargs.setdefault("max_digits", MAX_DIGITS)
    return serializers.DecimalField(decimal_places=2, **kwargs)


class CustomerStatsSerializer(serializers.Serializer):
    """The customer dashboard."""

    total_customers = serializers.IntegerField(help_text="Customers not deactivated.")
    inactive_customers = serializers.IntegerField(help_text="Deactivated customers.")
    active_customers = serializers.IntegerField(
        help_text="Customers who bought in the last `days` days."
    )
    days = serializers.IntegerField()
    total_outstanding = _money(
        max_digits=SUM_MAX_DIGITS,
        help_text="Owed to the shop by customers who owe money: the sum of positive balances "
        "(the Debtors report's `totals.owed`).",
    )
    total_credit_held = _money(
        max_digits=SUM_MAX_DIGITS,
        help_text="Credit held for customers in credit: negative balances, as a positive amount "
        "(the Debtors report's `totals.credit_held`).",
    )
    net_receivables = _money(
        max_digits=SUM_MAX_DIGITS,
        help_text="Owed less credit held: the sum of every balance (the Debtors report's "
        "`totals.amount_owed`).",
    )
    average_purchase_value = _money(
        help_text="All customers' purchases divided by their number of sales; 0.00 before any."
    )
