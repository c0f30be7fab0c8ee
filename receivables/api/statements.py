"""`GET /customers/api/customers/{id}/statement/`: the statement of account to hand over.

JSON by default (the figures, the lines and a signed `statement_url`); `?format=html` the
printable A4 page itself. A browser front end opens `statement_url` with `window.open`,
which sends no token: like a receipt link, the signature is the right to see that one
statement, for as long as a receipt link lasts.
"""

from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from pos_project.money import MAX_DIGITS
from pos_project.page_links import page_by_link
from pos_project.printed_pages import language_from_link
from pos_project.schema import error_responses
from receivables.api.serializers import LedgerEntrySerializer, LedgerQuerySerializer
from receivables.statements import (
    statement_from_link,
    statement_html,
    statement_link_url,
    statement_of_account,
)


class StatementHTMLRenderer(BaseRenderer):
    """`?format=html`: the view hands over the finished page."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else b""


STATEMENT_RENDERERS = [JSONRenderer, StatementHTMLRenderer]

STATEMENT_FORMAT_PARAMETER = OpenApiParameter(
    name="format",
    type=str,
    enum=["json", "html"],
    required=False,
    description="json (default), or html for the printable A4 page; any other value is a 400.",
)


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2, **kwargs)


class DueByAgeSerializer(serializers.Serializer):
    owed_0_30 = _money()
    owed_31_60 = _money()
    owed_61_90 = _money()
    owed_over_90 = _money()


class StatementSerializer(serializers.Serializer):
    """The statement of account over a range of days in the business's time zone."""

    customer = serializers.UUIDField(source="customer.pk")
    customer_name = serializers.CharField(source="customer.name")
    since = serializers.DateField(help_text="First day included.")
    until = serializers.DateField(help_text="Last day included.")
    opening_balance = _money(help_text="The balance before `since`; negative is credit held.")
    entries = LedgerEntrySerializer(many=True)
    closing_balance = _money(help_text="The balance at the end of `until`.")
    due_by_age = DueByAgeSerializer(help_text="What is still due today, by age of the sale.")
    statement_url = serializers.SerializerMethodField(
        help_text="Opens the printable page without a token (for window.open): a signed "
        "link, valid as long as a receipt link."
    )
    currency = serializers.CharField(source="customer.business.currency_code")

    def get_statement_url(self, statement) -> str:
        return statement_link_url(statement, self.context.get("request"))


class CustomerStatementMixin:
    """The statement action of the customer viewset (opened through its scoped
    `get_object()`, so another business's customer is a 404)."""

    @extend_schema(
        summary="The customer's statement of account, to print and hand over",
        description=(
            "Opening balance, every charge, payment, reversal and adjustment from `since` to "
            "`until` (days in the business's time zone, both included; the last 90 days by "
            "default) with the balance after each, the closing balance and what is still due "
            "by age. `?format=html` answers the printable A4 page; the JSON's "
            "`statement_url` opens that page without a token."
        ),
        parameters=[LedgerQuerySerializer, STATEMENT_FORMAT_PARAMETER],
        responses={
            (200, "application/json"): StatementSerializer,
            (200, "text/html"): OpenApiResponse(
                OpenApiTypes.STR, description="The printable A4 statement."
            ),
            # Errors are JSON even when the page was asked for.
            **error_responses(400, 401, 403, 404, media_type=JSONRenderer.media_type),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        renderer_classes=STATEMENT_RENDERERS,
    )
    def statement(self, request, pk=None):
        customer = self.get_object()
        query = LedgerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        statement = statement_of_account(customer=customer, **query.validated_data)
        if isinstance(request.accepted_renderer, StatementHTMLRenderer):
            return Response(statement_html(statement))
        body = StatementSerializer(statement, context={"request": request}).data
        return Response(body)


@require_GET
@language_from_link
def statement_by_link(request, token: str):
    return page_by_link(
        token, lambda token: statement_html(statement_from_link(token)), "statement"
    )
