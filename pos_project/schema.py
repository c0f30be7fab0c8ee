"""OpenAPI pieces shared by every app: the error body and the token auth scheme."""

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from pos_project.errors import all_error_codes
from pos_project.languages import LANGUAGE_CODES


class ErrorCodeField(serializers.CharField):
    """The `code` of an error body: one of the codes the apps declare."""


class ErrorCodeFieldSchema(OpenApiSerializerFieldExtension):
    # Read when the schema is built, once every app's `ErrorCode` has been imported.
    target_class = ErrorCodeField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "enum": all_error_codes()}


class ErrorSerializer(serializers.Serializer):
    """Every 4xx and 5xx body. Endpoints add details such as `current_status`."""

    error = serializers.CharField(help_text="What went wrong, in short.")
    code = ErrorCodeField(
        required=False,
        help_text="Stable machine-readable code; each app lists its own in `<app>/errors.py`.",
    )
    message = serializers.CharField(help_text="What to do about it.")
    fields = serializers.DictField(
        required=False, help_text="For validation errors: the messages of each field."
    )


def error_responses(*statuses: int, media_type: str | None = None) -> dict:
    """Document error statuses as the shared error body, for `@extend_schema(responses=...)`.

    `media_type` pins the errors to one type where an endpoint renders others too (a page
    as HTML, say) but always answers errors in JSON.
    """
    if media_type is None:
        return {code: OpenApiResponse(ErrorSerializer) for code in statuses}
    return {(code, media_type): OpenApiResponse(ErrorSerializer) for code in statuses}


def refusals(status: int, *codes: str) -> dict:
    """Document a status as the shared error body with the `code`s a business rule may answer
    there, for `@extend_schema(responses=...)` after `error_responses` (it replaces the
    status)."""
    listed = ", ".join(f"`{code}`" for code in codes)
    description = f"The error body; a business rule's refusal carries a `code`: {listed}."
    return {status: OpenApiResponse(ErrorSerializer, description=description)}


COMMON_ERRORS = error_responses(400, 401, 403, 404)

ACCEPT_LANGUAGE_PARAMETER = OpenApiParameter(
    name="Accept-Language",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    enum=list(LANGUAGE_CODES),
    description=(
        "The language of the answer's messages (`en`, `fr`, `ar` or `uz`; a regional variant "
        "such as `fr-MA` counts as its language). Without one of them, the caller's own "
        "language, else the business's (`/api/me/`). Error `code`s, event types, field names "
        "and enum values stay English whatever the language."
    ),
)


class StaffTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """One key, two ways to send it: either scheme is enough."""

    target_class = "pos_project.authentication.StaffTokenAuthentication"
    name = ["tokenAuth", "bearerAuth"]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": (
                    "`Token <key>` or `Bearer <key>`, the key from POST /api/auth/token/; "
                    "DELETE /api/auth/token/ revokes it."
                ),
            },
            {
                "type": "http",
                "scheme": "bearer",
                "description": (
                    "The same key as `Bearer <key>`, as generated clients send it by default."
                ),
            },
        ]

    def get_security_requirement(self, auto_schema):
        return [{"tokenAuth": []}, {"bearerAuth": []}]


class PosAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus what every operation shares: the `Accept-Language`
    header, and for a paginated list a 400 for a malformed `page`, `page_size` or
    `ordering`, and a 404 for a page past the end."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), ACCEPT_LANGUAGE_PARAMETER]

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        paginated_list = (
            self.method == "GET" and self._get_paginator() is not None and self._is_list_view()
        )
        if paginated_list:
            for code in ("400", "404"):
                if code not in bodies:
                    bodies[code] = self._get_response_for_code(
                        ErrorSerializer, code, ["application/json"], direction
                    )
        return bodies
