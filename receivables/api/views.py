"""Accounts-receivable actions on a customer: payments, credit adjustments, statements."""

from datetime import timedelta

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from pos_project.actors import Actor
from pos_project.errors import ErrorCode, Invalid
from pos_project.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from pos_project.pagination import StandardPagination
from pos_project.schema import error_responses, refusals
from pos_project.spreadsheets import (
    CHARSET,
    XLSX_MEDIA_TYPE,
    Sheet,
    spreadsheet_csv,
    spreadsheet_xlsx,
)
from receivables.api.serializers import (
    AdjustCreditSerializer,
    CreditAdjustmentResultSerializer,
    CustomerPaymentSerializer,
    LedgerEntrySerializer,
    LedgerQuerySerializer,
    PurchaseHistorySerializer,
    RecordPaymentResultSerializer,
    RecordPaymentSerializer,
)
from receivables.api.statements import CustomerStatementMixin, StatementHTMLRenderer
from receivables.models import CustomerPayment, ReceivableAllocation
from receivables.services import customer_adjust_credit, customer_record_payment
from receivables.statements import LEDGER_SHEET_HEADER, ledger_sheet, local_midnight
from sales.models import Sale, SaleStatus


class CSVRenderer(BaseRenderer):
    """`?format=csv` (or `Accept: text/csv`): the view hands over a Sheet."""

    media_type = "text/csv"
    format = "csv"
    charset = CHARSET

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return spreadsheet_csv(data)


class XLSXRenderer(BaseRenderer):
    """`?format=xlsx`: the same Sheet as an Excel workbook."""

    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return spreadsheet_xlsx(data)


SPREADSHEET_RENDERERS = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer, XLSXRenderer]

FORMAT_PARAMETER = OpenApiParameter(
    name="format",
    type=str,
    enum=["json", "csv", "xlsx"],
    required=False,
    description=(
        "json (default), csv for a machine, or xlsx for a person's spreadsheet (amounts as "
        "numbers, days as dates); any other value is a 400."
    ),
)


def json_errors(*statuses: int) -> dict:
    """Error responses of a view that also speaks a spreadsheet: errors are always JSON."""
    return {
        (code, JSONRenderer.media_type): response
        for code, response in error_responses(*statuses).items()
    }


def spreadsheet_responses(description: str) -> dict:
    """The CSV and workbook answers of an export, as the schema declares them."""
    return {
        (200, CSVRenderer.media_type): OpenApiResponse(
            OpenApiTypes.STR, description=f"UTF-8 with a byte-order mark. {description}"
        ),
        (200, XLSXRenderer.media_type): OpenApiResponse(
            OpenApiTypes.BINARY,
            description=f"An Excel workbook of the same rows, totals in bold. {description}",
        ),
    }


def wants_spreadsheet(request) -> bool:
    return isinstance(getattr(request, "accepted_renderer", None), (CSVRenderer, XLSXRenderer))


def spreadsheet_response(request, sheet: Sheet, *, name: str) -> Response:
    """The sheet as the file the request asked for, named `name` with its extension."""
    extension = request.accepted_renderer.format
    return Response(
        sheet, headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'}
    )


class CSVFormatMixin:
    """For views with a spreadsheet (or, for the statement, HTML) variant: a clear 400 for
    an unknown `?format=`, errors in JSON."""

    csv_actions: tuple[str, ...] = ()

    def _offers_csv(self) -> bool:
        return getattr(self, "action", None) in self.csv_actions or not self.csv_actions

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # DRF answers an unknown `?format=` with a bare 404, as if the page were missing.
            if not self._offers_csv():
                raise
            others = ["html"] if getattr(self, "action", None) == "statement" else ["csv", "xlsx"]
            raise Invalid(
                "Unknown format",
                _("Use ?format=json (the default) or %(others)s.")
                % {"others": _(" or ").join(f"?format={other}" for other in others)},
                code=ErrorCode.UNKNOWN_FORMAT,
                fields={
                    "format": [_("Use json or %(others)s.") % {"others": _(" or ").join(others)}]
                },
            ) from None

    def finalize_response(self, request, response, *args, **kwargs):
        # An error body is JSON even when the client asked for a spreadsheet or HTML, so it
        # can be read; so is any answer that is not a Sheet, such as OPTIONS' description of
        # the endpoint.
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and (
            (
                response.status_code >= 400
                and isinstance(renderer, (CSVRenderer, XLSXRenderer, StatementHTMLRenderer))
            )
            or (
                isinstance(renderer, (CSVRenderer, XLSXRenderer))
                and not isinstance(response.data, Sheet)
            )
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class PurchaseHistoryQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (SaleStatus.COMPLETED, "Completed sales only"),
            (SaleStatus.CANCELLED, "Cancelled sales only"),
        ],
        required=False,
        help_text="Completed and cancelled sales are listed unless one is asked for.",
    )

    def validate(self, attrs):
        # DRF reads a blank query value as no value; the schema's enum has no blank.
        if "status" in self.initial_data and not self.initial_data["status"].strip():
            raise serializers.ValidationError(
                {"status": [_("Send a value, or leave the parameter out.")]}
            )
        return attrs


class CustomerReceivablesMixin(CustomerStatementMixin, CSVFormatMixin):
    """Adds the receivables actions to the customer viewset.

    Each action opens the customer through the viewset's business-scoped `get_object()`
    before anything else, so another business's customer is a 404 whatever the body says.
    """

    # The viewset adds these to its own `manager_actions`; the service checks the role too.
    manager_actions = ("adjust_credit",)
    # The actions answering more than JSON: an unknown `?format=` there is a 400.
    csv_actions = ("ledger", "statement")

    @extend_schema(
        summary="Record a payment against the customer's debt",
        description=(
            "Lowers the outstanding balance and settles the customer's unpaid on-account sales, "
            "oldest first. A payment above what is owed is a 400 with `outstanding_balance` "
            "unless `allow_overpayment` is true; the extra is then held as credit. Cashiers "
            "may record payments; holding credit is a manager's decision unless the owner "
            "lets cashiers take deposits (400 `deposit_not_allowed` otherwise)."
        ),
        request=RecordPaymentSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: RecordPaymentResultSerializer,
            **error_responses(400, 401, 403, 404, 409, 422),
            **refusals(
                400,
                "amount_invalid",
                "amount_not_positive",
                "amount_too_precise",
                "invalid_payment_method",
                "overpayment_not_allowed",
                "deposit_not_allowed",
                "idempotency_key_invalid",
            ),
            **refusals(409, "till_session_required", "idempotency_request_in_progress"),
            **refusals(422, "idempotency_key_mismatch"),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    @idempotent
    def record_payment(self, request, pk=None):
        customer = self.get_object()
        body = RecordPaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = customer_record_payment(
            customer=customer, actor=Actor.from_request(request), **body.validated_data
        )
        return Response(RecordPaymentResultSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Give the customer credit, or take credit back",
        description=(
            '"add" lowers the balance and settles unpaid sales oldest first; "deduct" takes '
            "back credit held for the customer, never more than is held (400 with "
            "`credit_held`). Managers and owners only."
        ),
        request=AdjustCreditSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: CreditAdjustmentResultSerializer,
            **error_responses(400, 401, 403, 404, 409, 422),
            **refusals(
                400,
                "amount_invalid",
                "amount_not_positive",
                "amount_too_precise",
                "adjustment_type_invalid",
                "deduction_exceeds_credit",
                "idempotency_key_invalid",
            ),
            **refusals(403, "manager_required"),
            **refusals(409, "idempotency_request_in_progress"),
            **refusals(422, "idempotency_key_mismatch"),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    @idempotent
    def adjust_credit(self, request, pk=None):
        customer = self.get_object()
        body = AdjustCreditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = customer_adjust_credit(
            customer=customer, actor=Actor.from_request(request), **body.validated_data
        )
        return Response(
            CreditAdjustmentResultSerializer(entry).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="The customer's purchase history",
        description=(
            "Completed sales, and those cancelled after they were completed, newest first by "
            "the date they were completed; each with what is still due on it, a link to the "
            "sale and a signed link to its printable receipt. Drafts never appear."
        ),
        parameters=[PurchaseHistoryQuerySerializer],
        responses={
            200: PurchaseHistorySerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=StandardPagination)
    def sales(self, request, pk=None):
        customer = self.get_object()
        query = PurchaseHistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # Sales that were completed (and kept their receipt if cancelled since); a draft, or
        # a draft abandoned before payment, was never a purchase.
        sales = Sale.objects.filter(customer=customer, receipt_number__isnull=False)
        if "status" in query.validated_data:
            sales = sales.filter(status=query.validated_data["status"])
        # The order of the `sale_purchase_history` index, which serves the page. A sale with
        # a receipt number always has its completion time (the completing write sets both).
        sales = sales.order_by("-completed_at", "-created_at", "-id")
        page = self.paginate_queryset(sales)
        context = {"request": request}
        return self.get_paginated_response(
            PurchaseHistorySerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Payments received from the customer",
        description="Newest first, each with the sales it settled.",
        responses={
            200: CustomerPaymentSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=StandardPagination)
    def payments(self, request, pk=None):
        customer = self.get_object()
        payments = (
            CustomerPayment.objects.filter(customer=customer)
            .select_related("ledger_entry")
            .prefetch_related(
                Prefetch(
                    "ledger_entry__allocations",
                    queryset=ReceivableAllocation.objects.select_related("sale"),
                )
            )
            .order_by("-created_at", "-id")
        )
        page = self.paginate_queryset(payments)
        return self.get_paginated_response(CustomerPaymentSerializer(page, many=True).data)

    @extend_schema(
        summary="The customer's statement",
        description=(
            "Every ledger entry in order, with the running balance after it. `since` and "
            "`until` are calendar days in the business's time zone, both included. "
            "`?format=csv` or `?format=xlsx` returns the whole range as a spreadsheet, "
            "unpaginated."
        ),
        parameters=[LedgerQuerySerializer, FORMAT_PARAMETER],
        responses={
            (200, "application/json"): LedgerEntrySerializer(many=True),
            **spreadsheet_responses(
                "Header row ("
                + ", ".join(map(str, LEDGER_SHEET_HEADER))
                + "), then one row per entry; dates and times in the business's time zone."
            ),
            **json_errors(400, 401, 403, 404),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=StandardPagination,
        renderer_classes=SPREADSHEET_RENDERERS,
    )
    def ledger(self, request, pk=None):
        customer = self.get_object()
        query = LedgerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        zone = customer.business.zone
        entries = customer.ledger_entries.select_related("sale").order_by("sequence")
        if since := query.validated_data.get("since"):
            entries = entries.filter(created_at__gte=local_midnight(since, zone))
        if until := query.validated_data.get("until"):
            next_day = local_midnight(until + timedelta(days=1), zone)
            entries = entries.filter(created_at__lt=next_day)
        if wants_spreadsheet(request):
            entries = entries.iterator(chunk_size=2000)
            sheet = ledger_sheet(
                customer, entries, title=_("Statement %(name)s") % {"name": customer.name}
            )
            return spreadsheet_response(request, sheet, name=f"statement-{customer.pk}")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(LedgerEntrySerializer(page, many=True).data)
