"""The catalogue API: thin views over medicine.services and medicine.selectors."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from medicine import services
from medicine.api.filters import MedicineFilter, MedicineOrderingFilter
from medicine.api.serializers import (
    MedicineSerializer,
    MedicineWriteSerializer,
    StockAdjustSerializer,
)
from medicine.models import Medicine
from medicine.selectors import medicine_list
from medicine.shelf import local_today
from pos_project.actors import Actor
from pos_project.schema import error_responses, refusals
from pos_project.tenancy import BusinessScopedMixin

READ_ERRORS = error_responses(401, 403, 404)
WRITE_ERRORS = error_responses(400, 401, 403, 404)
# What a rule may refuse in a medicine's details and prices.
DETAILS_REFUSALS = refusals(400, "invalid_price", "wholesale_above_public_price", "barcode_taken")


@extend_schema_view(
    list=extend_schema(
        summary="List the catalogue",
        description=(
            "Medicines with their prices (`prix_br`, also shown as `ppv`) and stock at each "
            "storefront; search by name or barcode, filter by what is in stock."
        ),
        responses={200: MedicineSerializer(many=True), **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One medicine",
        description=(
            "Its details, prices and stock at each storefront; a deactivated medicine (one "
            "that DELETE kept because it was sold) too, with `is_active: false`."
        ),
        responses={200: MedicineSerializer, **READ_ERRORS},
    ),
    create=extend_schema(
        summary="Add a medicine (managers and owners)",
        description="Prices are money strings with two decimals. Audited.",
        request=MedicineWriteSerializer,
        responses={201: MedicineSerializer, **error_responses(400, 401, 403), **DETAILS_REFUSALS},
    ),
    update=extend_schema(
        summary="Replace a medicine's details and prices (managers and owners)",
        description="Send every field; use PATCH to change some. Audited.",
        request=MedicineWriteSerializer,
        responses={200: MedicineSerializer, **WRITE_ERRORS, **DETAILS_REFUSALS},
    ),
    partial_update=extend_schema(
        summary="Change some of a medicine's details or prices (managers and owners)",
        description="Send only what changes. Audited.",
        request=MedicineWriteSerializer,
        responses={200: MedicineSerializer, **WRITE_ERRORS, **DETAILS_REFUSALS},
    ),
    destroy=extend_schema(
        summary="Delete a medicine, or deactivate it if it was ever sold (managers and owners)",
        description=(
            "A medicine that no sale references is deleted (204), and is a 404 from then on. "
            "One that was ever sold stays for its receipts and history: it is deactivated "
            "instead, and the response is 200 with the medicine, now `is_active: false`; it "
            "stays readable (GET answers it) and can be reactivated with `is_active: true`."
        ),
        responses={
            204: OpenApiResponse(description="Deleted."),
            200: OpenApiResponse(MedicineSerializer, description="Deactivated instead."),
            **READ_ERRORS,
        },
    ),
)
class MedicineViewSet(BusinessScopedMixin, viewsets.ModelViewSet):
    """The catalogue. Cashiers read; managers and owners change prices, details and stock."""

    queryset = Medicine.objects.all()
    serializer_class = MedicineSerializer
    filter_backends = [DjangoFilterBackend, MedicineOrderingFilter]
    filterset_class = MedicineFilter
    ordering_fields = ["name", "prix_br"]
    ordering = ["name", "id"]
    manager_actions = ("create", "update", "partial_update", "destroy", "adjust_stock")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Medicine.objects.none()
        return medicine_list(business=self.business)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["today"] = local_today(self.business)
        return context

    def _output(self, medicine: Medicine, status_code: int = status.HTTP_200_OK) -> Response:
        # Re-read through the selector so the body carries the stock, prefetched.
        fresh = medicine_list(business=self.business).get(pk=medicine.pk)
        return Response(
            MedicineSerializer(fresh, context=self.get_serializer_context()).data,
            status=status_code,
        )

    def create(self, request, *args, **kwargs):
        serializer = MedicineWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        medicine = services.medicine_create(
            business=self.business, actor=Actor.from_request(request), **serializer.validated_data
        )
        return self._output(medicine, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        medicine = self.get_object()
        serializer = MedicineWriteSerializer(data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        medicine = services.medicine_update(
            medicine=medicine, actor=Actor.from_request(request), data=serializer.validated_data
        )
        return self._output(medicine)

    def destroy(self, request, *args, **kwargs):
        medicine = self.get_object()
        if services.medicine_delete(medicine=medicine, actor=Actor.from_request(request)):
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._output(medicine)

    @extend_schema(
        summary="Add or remove units of stock at a storefront (managers and owners)",
        description=(
            "`quantity_delta` is positive for a delivery, negative for breakage or a count. "
            "A change that would leave fewer than zero units is refused with a 400 whose "
            "body gives `on_hand`. Audited as `medicine.stock_adjusted`."
        ),
        request=StockAdjustSerializer,
        responses={
            200: MedicineSerializer,
            **WRITE_ERRORS,
            **refusals(
                400,
                "invalid_delta",
                "insufficient_stock",
                "stock_too_large",
                "reason_required",
                "unknown_storefront",
            ),
            **refusals(409, "insufficient_stock"),
        },
    )
    @action(detail=True, methods=["post"], url_path="adjust_stock", url_name="adjust-stock")
    def adjust_stock(self, request, pk=None):
        medicine = self.get_object()
        serializer = StockAdjustSerializer(data=request.data, business=self.business)
        serializer.is_valid(raise_exception=True)
        services.stock_adjust(
            medicine=medicine, actor=Actor.from_request(request), **serializer.validated_data
        )
        return self._output(medicine)
