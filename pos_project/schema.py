"""OpenAPI pieces shared by every app: the error body and the token auth scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every 4xx and 5xx body. Endpoints add details such as `current_status`."""

    error = serializers.CharField(help_text="What went wrong, in short.")
    code = serializers.CharField(required=False, help_text="Stable machine-readable code.")
    message = serializers.CharField(help_text="What to do about it.")
    fields = serializers.DictField(
        required=False, help_text="For validation errors: the messages of each field."
    )


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Document error statuses as the shared error body, for `@extend_schema(responses=...)`."""
    return {code: OpenApiResponse(ErrorSerializer) for code in statuses}


COMMON_ERRORS = error_responses(400, 401, 403, 404)


class StaffTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "pos_project.authentication.StaffTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, from POST /api/auth/token/.",
        }
