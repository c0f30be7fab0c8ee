from rest_framework import serializers

from audit.descriptions import description_text
from audit.models import AuditLog
from pos_project.serializers import ReadModelSerializer


class AuditLogSerializer(ReadModelSerializer):
    """The seed 004 shape. Related rows are given by id only: they may since have been deleted."""

    user = serializers.IntegerField(
        source="user_id", read_only=True, allow_null=True, help_text="Id of the acting user."
    )
    sale = serializers.UUIDField(source="sale_id", read_only=True, allow_null=True)
    customer = serializers.UUIDField(source="customer_id", read_only=True, allow_null=True)
    event_data = serializers.JSONField(
        read_only=True, help_text="What changed: old and new values, specific to the event type."
    )
    description = serializers.SerializerMethodField(
        help_text=(
            "What happened, in the language of the answer (`Accept-Language`), names isolated "
            "with Unicode isolates; in English, the description as it was recorded."
        )
    )

    class Meta:
        model = AuditLog
        fields = [
            "id",
            "event_type",
            "timestamp",
            "user",
            "user_name",
            "sale",
            "customer",
            "event_data",
            "description",
            "ip_address",
        ]
        read_only_fields = fields

    def get_description(self, entry: AuditLog) -> str:
        return description_text(entry)
