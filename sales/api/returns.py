"""The returns API: a sale's returns (take one, list them), every return of the business,
and the return slip as JSON or a printable page. Thin views over `sales.services.returns`."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from pos_project.filters import StrictOrderingFilter
from pos_project.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from pos_project.schema import error_responses
from pos_project.tenancy import BusinessScopedMixin
from sales.api.pages import (
    FORMAT_PARAMETER,
    PrintablePagesMixin,
    ReceiptHTMLRenderer,
    page_action,
    page_response,
)
from sales.api.refusals import RETURN_REFUSALS
from sales.api.return_filters import ReturnFilter
from sales.api.return_serializers import (
    ReturnCreateSerializer,
    ReturnSerializer,
    ReturnSlipSerializer,
)
from sales.models import Return
from sales.return_receipts import return_lines_prefetch, return_receipt_data, return_receipt_html
from sales.services import sale_return


def returns_with_lines(queryset):
    """Returns with everything their answer shows: four queries for any number of them and
    of their lines."""
    return queryset.select_related(
        "business", "sale", "sale__customer", "sale__storefront", "created_by"
    ).prefetch_related(*return_lines_prefetch(), "refunds")


# `/sales/{id}/returns/` on the sale viewset: its returns, and taking a new one. (No
# docstring: the schema would show it as the description of every sale operation.)
class SaleReturnsActions:
    @extend_schema(
        methods=["GET"],
        summary="The sale's returns, oldest first",
        description=(
            "Every return of this sale with its lines and refunds; the sale itself shows "
            "`returned_total` and each line's `returned_quantity`."
        ),
        responses={200: ReturnSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Take back units of a completed sale (managers and owners)",
        description=(
            "Each line at most what was sold less what earlier returns took back (else 409 "
            "`return_exceeds_sold`, naming each line and what can still be returned). Each "
            "unit comes back at the price paid for it, the line's discount included; a "
            "whole line gives back exactly its `line_total`. The refund first lowers what "
            "the customer still owes on this sale (refund `AMOUNT_DUE`), the rest goes back "
            "by `refund_method`. Units go back on the shelf unless `restock` is false. A "
            "sale with a return can no longer be cancelled. Send an `Idempotency-Key` so a "
            "retry never returns twice."
        ),
        request=ReturnCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: ReturnSerializer,
            **error_responses(400, 401, 403, 404, 409, 422),
            **RETURN_REFUSALS,
        },
    )
    # A sale has a handful of returns: one unpaginated, unfiltered list, oldest first.
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="returns",
        url_name="returns",
        pagination_class=None,
        filter_backends=[],
    )
    def returns(self, request, pk=None):
        if request.method == "GET":
            sale = self.get_object()
            returns = returns_with_lines(Return.objects.filter(sale=sale)).order_by(
                "created_at", "id"
            )
            context = {"request": request}
            return Response(ReturnSerializer(returns, many=True, context=context).data)
        return self._take_return(request, pk)

    @idempotent
    def _take_return(self, request, pk):
        with self._caller_sale(pk) as sale:
            data = self._valid(ReturnCreateSerializer)
            created = sale_return(
                sale=sale,
                lines=data["items"],
                reason=data["reason"],
                refund_method=data.get("refund_method"),
                actor=self._actor(),
            )
        created = returns_with_lines(Return.objects.filter(pk=created.pk)).get()
        answer = ReturnSerializer(created, context={"request": request})
        return Response(answer.data, status=status.HTTP_201_CREATED)


class ReturnViewSet(
    PrintablePagesMixin, BusinessScopedMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Return.objects.all()
    serializer_class = ReturnSerializer
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = ReturnFilter
    ordering_fields = ["created_at", "total", "number"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return returns_with_lines(super().get_queryset())

    @extend_schema(
        summary="Every return of the business",
        description="Newest first; filter by sale, customer, number or when it was taken.",
        responses={200: ReturnSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        answer = ReturnSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(answer.data)

    @extend_schema(
        summary="One return, with its lines and refunds",
        description=(
            "`refunds` says how the money went back: `AMOUNT_DUE` came off what the customer "
            "still owed on the sale; `ACCOUNT` is credit held on their account."
        ),
        responses={200: ReturnSerializer, **error_responses(401, 403, 404)},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="The return slip, as JSON or a printable page",
        description=(
            "JSON for a till that lays the slip out itself, or `?format=html` for the "
            "printable 80 mm page in the look of the receipt, naming the original receipt. "
            "Errors are JSON either way."
        ),
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): ReturnSlipSerializer,
            (200, "text/html"): OpenApiResponse(
                OpenApiTypes.STR, description="Printable page, 80 mm wide."
            ),
            **error_responses(400, 401, 403, 404, media_type="application/json"),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ReceiptHTMLRenderer])
    def receipt(self, request, pk=None):
        sale_return = self.get_object()
        if request.accepted_renderer.format == ReceiptHTMLRenderer.format:
            return page_response(return_receipt_html(sale_return))
        return Response(ReturnSlipSerializer(return_receipt_data(sale_return)).data)

    @page_action(
        url_path="receipt/page",
        summary="The printable return slip",
        description=(
            "The page `?format=html` gives on the return slip, as its own operation. A "
            "browser that opens it with window.open (no token) uses the return's `slip_url`."
        ),
    )
    def receipt_page(self, request, pk=None):
        return page_response(return_receipt_html(self.get_object()))
