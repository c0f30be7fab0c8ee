"""The tills API: thin views over sales.services.tills (validate, call the service,
serialize). Everyone lists tills and opens one; managers set them up. A cashier sees their
own sessions; managers see all of the business's."""

from django.db.models import prefetch_related_objects
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from pos_project.actors import Actor
from pos_project.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from pos_project.schema import error_responses, refusals
from pos_project.tenancy import BusinessScopedMixin
from sales.api.filters import TillSessionFilter
from sales.api.pages import (
    PrintablePagesMixin,
    ReceiptHTMLRenderer,
    page_action,
    page_response,
)
from sales.api.refusals import (
    CASH_MOVEMENT_REFUSALS,
    TILL_CLOSE_REFUSALS,
    TILL_OPEN_REFUSALS,
)
from sales.api.till_serializers import (
    CashMovementCreateSerializer,
    CashMovementSerializer,
    TillCloseSerializer,
    TillCreateSerializer,
    TillOpenSerializer,
    TillReportSerializer,
    TillSerializer,
    TillSessionDetailSerializer,
    TillSessionSerializer,
    TillUpdateSerializer,
)
from sales.api.views import FORMAT_PARAMETER
from sales.models import Till, TillSession
from sales.services import tills as services
from sales.till_report import till_report_data, till_report_html

READ_ERRORS = error_responses(401, 403, 404)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)
MONEY_ERRORS = error_responses(400, 401, 403, 404, 409, 422)


def _valid(request, serializer_class, **context):
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _session_detail(request, session: TillSession, *, status_code=status.HTTP_200_OK):
    """The session with its movements and its report: X (blind for a cashier) or Z."""
    prefetch_related_objects([session], "movements")
    report = till_report_data(session, show_expected=Actor.from_request(request).is_manager)
    data = TillSessionDetailSerializer(session, context={"request": request, "report": report})
    return Response(data.data, status=status_code)


class TillViewSet(
    BusinessScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Till.objects.select_related("storefront")
    serializer_class = TillSerializer
    ordering_fields = ["name", "created_at"]
    ordering = ["name", "id"]
    manager_actions = ("create", "partial_update")
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(
        summary="List the business's tills",
        description="Every till of every storefront of your business, active or not.",
        responses={200: TillSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One till",
        description="Its name, storefront and whether it may be opened.",
        responses={200: TillSerializer, **READ_ERRORS},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Set up a till at a storefront (managers and owners)",
        description="A name unique at the storefront; the till starts active and closed.",
        request=TillCreateSerializer,
        responses={
            201: TillSerializer,
            **WRITE_ERRORS,
            **refusals(400, "till_name_required", "till_name_taken"),
            **refusals(403, "manager_required"),
        },
    )
    def create(self, request):
        data = _valid(request, TillCreateSerializer, business=self.business)
        till = services.till_create(
            business=self.business,
            storefront=data["storefront"],
            name=data["name"],
            actor=Actor.from_request(request),
        )
        return Response(TillSerializer(till).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename a till or (de)activate it (managers and owners)",
        description="A till with an open session cannot be deactivated (409).",
        request=TillUpdateSerializer,
        responses={
            200: TillSerializer,
            **WRITE_ERRORS,
            **refusals(400, "till_name_required", "till_name_taken"),
            **refusals(403, "manager_required"),
            **refusals(409, "till_has_open_session"),
        },
    )
    def partial_update(self, request, pk=None):
        till = self.get_object()
        data = _valid(request, TillUpdateSerializer)
        till = services.till_update(
            till=till,
            name=data.get("name"),
            is_active=data.get("is_active"),
            actor=Actor.from_request(request),
        )
        return Response(TillSerializer(till).data)

    @extend_schema(
        summary="Open a session on this till with an opening float",
        description=(
            "One OPEN session per till and per person: a till already open, or a caller "
            "who already has an open session, is a 409. From then on, the caller's sales at "
            "this till's storefront, their cash refunds and the debt payments they record go "
            "into the session."
        ),
        request=TillOpenSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: TillSessionDetailSerializer, **MONEY_ERRORS, **TILL_OPEN_REFUSALS},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def open(self, request, pk=None):
        till = self.get_object()
        data = _valid(request, TillOpenSerializer)
        session = services.till_session_open(
            till=till, opening_float=data["opening_float"], actor=Actor.from_request(request)
        )
        return _session_detail(request, session, status_code=status.HTTP_201_CREATED)


class TillSessionViewSet(
    PrintablePagesMixin,
    BusinessScopedMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    queryset = TillSession.objects.select_related(
        "business", "till", "till__storefront", "opened_by", "closed_by"
    )
    serializer_class = TillSessionSerializer
    filterset_class = TillSessionFilter
    ordering_fields = ["opened_at", "closed_at"]
    ordering = ["-opened_at", "-id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        if not Actor.from_request(self.request).is_manager:
            # A cashier sees their own sessions; another's is "not found".
            queryset = queryset.filter(opened_by=self.request.user)
        return queryset

    @extend_schema(
        summary="List till sessions (a cashier's own; all of them for managers)",
        description=(
            "Newest first; filter by `status`, `till`, `opened_by` and the opening time. A "
            "closed session carries its count, expected cash, variance and Z number. A "
            "cashier's open session shows no float (`opening_float` is null) until the count."
        ),
        responses={200: TillSessionSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="One till session, with its movements and its live report",
        description=(
            "`report` is the X report while the session is open (blind for a cashier: see "
            "`report.blind`; the float and the movements are left out too) and the stored Z "
            "report once closed."
        ),
        responses={200: TillSessionDetailSerializer, **READ_ERRORS},
    )
    def retrieve(self, request, pk=None):
        return _session_detail(request, self.get_object())

    @extend_schema(
        summary="Put cash into or take it out of an open session's drawer",
        description="`amount` > 0 and a `reason` are required; the session must be open.",
        request=CashMovementCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: CashMovementSerializer, **MONEY_ERRORS, **CASH_MOVEMENT_REFUSALS},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def cash_movement(self, request, pk=None):
        session = self.get_object()
        data = _valid(request, CashMovementCreateSerializer)
        movement = services.till_cash_move(
            session=session,
            type=data["type"],
            amount=data["amount"],
            reason=data["reason"],
            actor=Actor.from_request(request),
        )
        return Response(CashMovementSerializer(movement).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Count the drawer and close the session: the Z report",
        description=(
            "The opener or a manager sends the counted cash. The report's totals are stored "
            "now, the session gets its Z number and never changes again. Closing twice is a "
            "409."
        ),
        request=TillCloseSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: TillReportSerializer, **MONEY_ERRORS, **TILL_CLOSE_REFUSALS},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def close(self, request, pk=None):
        session = self.get_object()
        data = _valid(request, TillCloseSerializer)
        session = services.till_session_close(
            session=session,
            counted_cash=data["counted_cash"],
            note=data.get("note", ""),
            actor=Actor.from_request(request),
        )
        report = TillReportSerializer(till_report_data(session), context={"request": request})
        return Response(report.data)

    @extend_schema(
        summary="The session's report (X while open, Z once closed), JSON or a printable page",
        description=(
            "Sales, tenders, change, debt payments, refunds, pay-ins and pay-outs, and the "
            "expected cash, counted cash and variance. A cashier's report of an open session "
            "is blind: every figure the expected cash could be added up from is null (see "
            "`blind`), the count of sales and the non-cash tenders stay. `?format=html` is "
            "the 80 mm page, blind alike; errors are JSON either way."
        ),
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): TillReportSerializer,
            (200, "text/html"): OpenApiResponse(
                OpenApiTypes.STR, description="Printable page, 80 mm wide."
            ),
            **error_responses(400, 401, 403, 404, media_type="application/json"),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ReceiptHTMLRenderer])
    def report(self, request, pk=None):
        session = self.get_object()
        show_expected = Actor.from_request(request).is_manager
        if request.accepted_renderer.format == ReceiptHTMLRenderer.format:
            return page_response(till_report_html(session, show_expected=show_expected))
        report = till_report_data(session, show_expected=show_expected)
        return Response(TillReportSerializer(report, context={"request": request}).data)

    @page_action(
        url_path="report/page",
        summary="The printable page of the session's report (X while open, Z once closed)",
        description=(
            "The page `?format=html` gives on the report, as its own operation; a cashier's "
            "open session is blind there too. A browser that opens it with window.open (no "
            "token) uses the report's `report_url`."
        ),
    )
    def report_page(self, request, pk=None):
        show_expected = Actor.from_request(request).is_manager
        return page_response(till_report_html(self.get_object(), show_expected=show_expected))
