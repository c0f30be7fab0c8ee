from django.conf import settings
from rest_framework import serializers

from pos_project.models import Business, Role, Storefront


class BusinessSerializer(serializers.ModelSerializer):
    currency_symbol = serializers.CharField(read_only=True)

    class Meta:
        model = Business
        fields = [
            "id",
            "name",
            "currency_code",
            "currency_symbol",
            "default_region",
            "time_zone",
            "language",
            "cashiers_take_deposits",
            "cash_control",
        ]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.get_full_name")
    role = serializers.ChoiceField(choices=Role.choices)
    is_manager = serializers.BooleanField()
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        allow_blank=True,
        help_text="The caller's own language; empty follows the business's.",
    )
    reading_language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        help_text=(
            "The language answers are in when a request sends no `Accept-Language` naming "
            "one of the four: `language`, else the business's."
        ),
    )
    business = BusinessSerializer()


class StorefrontSerializer(serializers.ModelSerializer):
    class Meta:
        model = Storefront
        fields = ["id", "name", "address", "is_active"]
