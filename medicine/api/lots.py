"""The lots API: receive a lot, look one up by number, adjust or write it off, recall it,
and list the sales that took from it. Thin views over medicine.services."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from medicine import services
from medicine.api.lot_serializers import (
    LotAdjustSerializer,
    LotRecallSerializer,
    LotReceiveSerializer,
    LotSaleSerializer,
    LotSerializer,
    LotWriteOffSerializer,
)
from medicine.lot_selectors import lot_sale_takes, lots_of_business, recall_figures
from medicine.models import Lot
from pos_project.actors import Actor
from pos_project.schema import error_responses
from pos_project.tenancy import business_of

WRITE_ERRORS = error_responses(400, 401, 403, 404, 409)


class LotFilter(filters.FilterSet):
    medicine = filters.UUIDFilter(field_name="medicine_id")
    storefront = filters.UUIDFilter(field_name="storefront_id")
    lot_number = filters.CharFilter(field_name="lot_number", lookup_expr="iexact")

    class Meta:
        model = Lot
        fields = ["medicine", "storefront", "lot_number"]


@extend_schema_view(
    list=extend_schema(
        summary="List lots",
        description=(
            "The business's lots, soonest expiry first; `?lot_number=` finds a lot by the "
            "number on the box without knowing its medicine."
        ),
        responses={200: LotSerializer(many=True), **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One lot",
        description=(
            "Its medicine and storefront, number, expiry, units on the shelf, who received "
            "it, and whether (and when, under which reference) it was recalled."
        ),
        responses={200: LotSerializer, **error_responses(401, 403, 404)},
    ),
)
class LotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lots: everyone reads; managers and owners receive, adjust, write off and recall."""

    serializer_class = LotSerializer
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = LotFilter
    manager_actions = ("create", "adjust", "write_off", "recall", "sales")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Lot.objects.none()
        return lots_of_business(business_of(self.request)).order_by(
            "medicine__name", "expiry_date", "storefront__name", "pk"
        )

    def _answer(self, lot: Lot, status_code=status.HTTP_200_OK) -> Response:
        return Response(LotSerializer(self.get_queryset().get(pk=lot.pk)).data, status=status_code)

    @extend_schema(
        summary="Receive a lot (managers and owners)",
        description=(
            "Boxes of one lot onto a storefront's shelf. An expiry before today is a 400 "
            "`expiry_in_past`; more of a lot already there adds to it, with the same expiry "
            "(else 409 `lot_expiry_mismatch` naming both dates). Audited as "
            "`stock.lot_received`."
        ),
        request=LotReceiveSerializer,
        responses={201: LotSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        business = business_of(request)
        serializer = LotReceiveSerializer(data=request.data, business=business)
        serializer.is_valid(raise_exception=True)
        lot = services.lot_receive(actor=Actor.from_request(request), **serializer.validated_data)
        return self._answer(lot, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Adjust a lot (managers and owners)",
        description=(
            "Add or remove units of one lot with a reason: `COUNT_CORRECTION`, `DAMAGED` or "
            "`EXPIRED_WRITE_OFF`. Never below zero. Audited as `stock.lot_adjusted` (or "
            "`stock.lot_written_off`)."
        ),
        request=LotAdjustSerializer,
        responses={200: LotSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        lot = self.get_object()
        serializer = LotAdjustSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.lot_adjust(lot=lot, actor=Actor.from_request(request), **serializer.validated_data)
        return self._answer(lot)

    @extend_schema(
        summary="Write off an expired or recalled lot (managers and owners)",
        description=(
            "Takes every unit of the lot off the shelf. A lot still sellable is a 409 "
            "`lot_not_expired`. Audited as `stock.lot_written_off`."
        ),
        request=LotWriteOffSerializer,
        responses={200: LotSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="write_off", url_name="write-off")
    def write_off(self, request, pk=None):
        lot = self.get_object()
        serializer = LotWriteOffSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.lot_write_off(
            lot=lot, actor=Actor.from_request(request), **serializer.validated_data
        )
        return self._answer(lot)

    @extend_schema(
        summary="Recall a lot (managers and owners)",
        description=(
            "Marks the lot recalled at every storefront that holds its number, with the "
            "recall's reference and date; it is never sold again (a sale that needs it is a "
            "409 `stock_recalled`). A lot already recalled is a 409 `lot_recalled`. Audited "
            "as `stock.lot_recalled`."
        ),
        request=LotRecallSerializer,
        responses={200: LotSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def recall(self, request, pk=None):
        lot = self.get_object()
        serializer = LotRecallSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.lot_recall(
            lot=lot,
            reference=serializer.validated_data["reference"],
            recall_date=serializer.validated_data["date"],
            actor=Actor.from_request(request),
        )
        return self._answer(lot)

    @extend_schema(
        summary="The sales that took from a lot (managers and owners)",
        description=(
            "Every sale line that took units of the lot's number at any storefront: receipt, "
            "date, customer and phone when known, units sold and come back; with the units "
            "still on the shelves, sold and recovered in all."
        ),
        responses={200: LotSaleSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def sales(self, request, pk=None):
        lot = self.get_object()
        figures = recall_figures(lot)
        page = self.paginate_queryset(lot_sale_takes(lot))
        data = LotSaleSerializer(page, many=True).data
        response = self.get_paginated_response(data)
        response.data["on_shelf"] = figures.on_shelf
        response.data["sold"] = figures.sold
        response.data["recovered"] = figures.recovered
        return response
