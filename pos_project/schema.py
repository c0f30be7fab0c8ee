"""OpenAPI pieces shared by every app: the error body and the token auth scheme."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from pos_project.errors import all_error_codes


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
    status). The schema checks (tests/pos_project/test_schema_checks.py) read the codes back
    from the description: a refusal they meet must be listed on its operation."""
    listed = ", ".join(f"`{code}`" for code in codes)
    description = f"The error body; a business rule's refusal carries a `code`: {listed}."
    return {status: OpenApiResponse(ErrorSerializer, description=description)}


COMMON_ERRORS = error_responses(400, 401, 403, 404)

ACCEPT_LANGUAGE_PARAMETER = OpenApiParameter(
    name="Accept-Language",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    # Any value HTTP allows (`fr-MA,fr;q=0.9,en;q=0.8`): the first of the four it names wins,
    # and a header naming none of them is no error, so no enum.
    description=(
        "The language of the answer's messages (`en`, `fr`, `ar` or `uz`; a regional variant "
        "such as `fr-MA` counts as its language, and a browser's list with weights is read in "
        "its order). Without one of them, the caller's own "
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


def text_pattern(field: serializers.CharField) -> str:
    """Text as `field` takes it: never a NUL character (DRF refuses them), and where a blank
    is refused, something besides whitespace (DRF trims it first, so " " is blank too)."""
    if field.allow_blank or not field.trim_whitespace:
        return r"^[^\x00]*$"
    return r"^[^\x00]*[^\s\x00][^\x00]*$"


def decimal_pattern(field: serializers.DecimalField) -> str:
    """A decimal string as `field` takes it, in ASCII digits: its digits before and after the
    point, no sign when it may not be negative, and not zero when it must be positive (a
    string carries no `minimum`)."""
    places = field.decimal_places
    whole = field.max_digits - places
    fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
    low = field.min_value
    if low is None or low < 0:
        return rf"^-?[0-9]{{1,{whole}}}{fraction}$"
    if low == 0 or places == 0:
        return rf"^[0-9]{{1,{whole}}}{fraction}$"
    # Above zero: a whole part from 1, or 0 and a fraction that is not all zeros.
    nonzero_fractions = "|".join(
        rf"0{{{zeros}}}[1-9][0-9]{{0,{places - 1 - zeros}}}" for zeros in range(places)
    )
    return rf"^([1-9][0-9]{{0,{whole - 1}}}{fraction}|0\.({nonzero_fractions}))$"


class BoundedFilterExtension(DjangoFilterExtension):
    """drf-spectacular's reading of the list filters, plus the bounds a filter enforces
    (`min_value`, `max_value`, `max_length`): a value outside them is a 400, so the schema
    says so."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        bounds = {
            keyword: filter_field.extra[name]
            for name, keyword in (
                ("min_value", "minimum"),
                ("max_value", "maximum"),
                ("max_length", "maxLength"),
            )
            if filter_field.extra.get(name) is not None
        }
        for parameter in parameters:
            parameter["schema"].update(bounds)
        return parameters


class PosAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus what every operation shares: the `Accept-Language`
    header; for a paginated list a 400 for a malformed `page`, `page_size` or `ordering`, and
    a 404 for a page past the end; and in request bodies, what the serializers enforce beyond
    their fields.

    A body's unknown field is a 400 (`rejects_unknown_fields` on the serializer), so its
    schema says `additionalProperties: false`. A field sent under one of two names
    (`field_aliases`, e.g. `prix_br` or `ppv`) is one of them: exactly one of the two where
    the field is required, and never both at once in a PATCH (the server takes both when they
    are equal, the one leniency the schema leaves out).

    Unknown query parameters, on the other hand, are ignored, as most public APIs do: proxies,
    browsers and analytics add their own (`_=` cache busters, `utm_*`), and a query changes
    nothing, so ignoring one loses no data the way an ignored body field would.
    """

    def get_override_parameters(self):
        return [*super().get_override_parameters(), ACCEPT_LANGUAGE_PARAMETER]

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction != "request" or not isinstance(schema, dict):
            return schema
        if isinstance(field, serializers.ListSerializer) and schema.get("type") == "array":
            # A list of nested bodies: its bounds, which drf-spectacular leaves out.
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
            if field.min_length is not None or not field.allow_empty:
                schema["minItems"] = max(field.min_length or 0, 0 if field.allow_empty else 1)
        elif isinstance(field, serializers.DecimalField) and "pattern" in schema:
            schema["pattern"] = decimal_pattern(field)
        elif (
            isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(schema)
        ):
            schema["pattern"] = text_pattern(field)
        return schema

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction != "request" or schema.get("type") != "object":
            return schema
        if getattr(serializer, "rejects_unknown_fields", False):
            schema["additionalProperties"] = False
        for name, alias in getattr(serializer, "field_aliases", ()):
            both = {"required": [name, alias]}
            if self.method == "PATCH":
                schema["not"] = both
            else:
                # "One of the two" said with `not` alone: client generators read a `oneOf`
                # as a union of types, and leave a `not` to the server.
                neither = {"not": {"anyOf": [{"required": [name]}, {"required": [alias]}]}}
                schema["not"] = {"anyOf": [both, neither]}
        return schema

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
