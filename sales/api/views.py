"""The sales API: thin views over sales.services (validate, call the service, serialize)."""

import uuid
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from medicine.sold_lots import sold_lots_prefetch
from pos_project.actors import Actor
from pos_project.errors import DomainError
from pos_project.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from pos_project.metrics import CHECKOUTS, counting_outcome
from pos_project.money import ZERO
from pos_project.schema import error_responses
from pos_project.tenancy import BusinessScopedMixin
from sales import services
from sales.api.filters import SaleFilter, SaleOrderingFilter
from sales.api.pages import (
    FORMAT_PARAMETER,
    PrintablePagesMixin,
    ReceiptHTMLRenderer,
    page_action,
    page_response,
)
from sales.api.receipt_serializers import ReceiptSerializer
from sales.api.refusals import (
    CANCEL_REFUSALS,
    COMPLETE_REFUSALS,
    DRAFT_REFUSALS,
    LINE_REFUSALS,
)
from sales.api.returns import SaleReturnsActions
from sales.api.serializers import (
    SaleCancelSerializer,
    SaleCompleteSerializer,
    SaleCreateSerializer,
    SaleDetailSerializer,
    SaleItemAddSerializer,
    SaleItemUpdateSerializer,
    SaleSerializer,
    SaleUpdateSerializer,
    SaleWithLinesSerializer,
    UpdateCustomerResponseSerializer,
    UpdateCustomerSerializer,
)
from sales.locks import SaleRef
from sales.models import Payment, Sale, SaleItem, SaleStatus
from sales.receipts import receipt_data, receipt_html

READ_ERRORS = error_responses(401, 403, 404)
WRITE_ERRORS = error_responses(400, 401, 403, 404)
MONEY_ERRORS = error_responses(400, 401, 403, 404, 409, 422)


ITEM_PARAMETER = OpenApiParameter(
    name="item_pk", type=OpenApiTypes.UUID, location=OpenApiParameter.PATH, description="Line id."
)


def _lines():
    # Three queries for any number of lines, lots and payments.
    return (
        Prefetch("items", queryset=SaleItem.objects.order_by("created_at", "id")),
        Prefetch("payments", queryset=Payment.objects.order_by("created_at", "id")),
        sold_lots_prefetch("items__lots"),
    )


def _with_lines(sale: Sale, *, lots: bool = True) -> Sale:
    items, payments, taken = _lines()
    # A DRAFT has no payments or lots yet: SaleDetailSerializer answers [] without asking.
    if sale.status == SaleStatus.DRAFT:
        lookups = [items]
    else:
        lookups = [items, payments, taken] if lots else [items, payments]
    prefetch_related_objects([sale], *lookups)
    return sale


class SaleViewSet(
    SaleReturnsActions, PrintablePagesMixin, BusinessScopedMixin, viewsets.GenericViewSet
):
    queryset = Sale.objects.select_related("business", "storefront", "customer", "created_by")
    serializer_class = SaleSerializer
    filter_backends = [DjangoFilterBackend, SaleOrderingFilter]
    filterset_class = SaleFilter
    ordering_fields = ["created_at", "completed_at", "total_amount", "receipt_number"]
    ordering = ["-created_at", "-id"]

    # --- plumbing -----------------------------------------------------------------------

    def _actor(self) -> Actor:
        return Actor.from_request(self.request)

    @contextmanager
    def _caller_sale(self, pk):
        """The caller's sale `pk`, as a reference for a service that locks and reads it.

        No query of its own: the reference carries the caller's business and the services
        lock a sale by id and business, so a sale of another business (or none) is not
        found there, a 404. Whether the sale exists is always the first answer: a request
        refused before the lock (a bad body, say) looks the sale up, so it is refused only
        about a sale the caller can see.
        """
        try:
            sale = SaleRef(pk=uuid.UUID(str(pk)), business_id=self.business.pk)
        except ValueError:
            raise Http404 from None
        try:
            yield sale
        except Sale.DoesNotExist:
            raise Http404 from None
        except (APIException, DomainError):
            if not Sale.objects.filter(pk=sale.pk, business=self.business).exists():
                raise Http404 from None
            raise

    def _detail(self, sale: Sale, *, status_code=status.HTTP_200_OK) -> Response:
        """The sale as a service left it (its joined rows loaded), with its lines."""
        return Response(self._shown(_with_lines(sale)), status=status_code)

    def _shown(self, sale: Sale) -> dict:
        return SaleDetailSerializer(sale, context={"request": self.request}).data

    def _valid(self, serializer_class, **context):
        serializer = serializer_class(
            data=self.request.data, context={"request": self.request, **context}
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _item(self, sale: Sale, item_pk) -> SaleItem:
        try:
            return SaleItem.objects.select_related("sale").get(
                sale_id=sale.pk, sale__business=self.business, pk=item_pk
            )
        except (SaleItem.DoesNotExist, DjangoValidationError, ValueError):
            raise Http404 from None

    # --- the sale -----------------------------------------------------------------------

    @extend_schema(
        summary="List sales",
        description=(
            "The business's sales, newest first unless `ordering` says otherwise; filter by "
            "status, type, customer, storefront, dates, receipt number or a search."
        ),
        responses={200: SaleSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def list(self, request):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = {"request": request}
        return self.get_paginated_response(SaleSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary="One sale, with its items and payments",
        description=(
            "Its lines (each with the `lots` it took: number, expiry and units), payments and "
            "totals. `receipt_url` opens the printable receipt without a token once the sale "
            "is completed."
        ),
        responses={200: SaleDetailSerializer, **READ_ERRORS},
    )
    def retrieve(self, request, pk=None):
        return Response(self._shown(_with_lines(self.get_object())))

    @extend_schema(
        summary="Open a DRAFT sale",
        description=(
            "A sale is born a DRAFT at one of your storefronts, for a walk-in customer or a "
            "customer of your business. `status` may be sent as `DRAFT`; any other is a 400."
        ),
        request=SaleCreateSerializer,
        responses={201: SaleDetailSerializer, **WRITE_ERRORS, **DRAFT_REFUSALS},
    )
    def create(self, request):
        data = self._valid(SaleCreateSerializer, business=self.business)
        sale = services.sale_create(
            business=self.business,
            storefront=data["storefront"],
            type=data["type"],
            customer=data.get("customer"),
            notes=data.get("notes", ""),
            actor=self._actor(),
        )
        return self._detail(sale, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a DRAFT's type (re-prices every line) or notes",
        description="Only a DRAFT changes; any other field is refused (400).",
        request=SaleUpdateSerializer,
        responses={200: SaleDetailSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        with self._caller_sale(pk) as sale:
            data = self._valid(SaleUpdateSerializer)
            sale = services.sale_update(sale=sale, type=data.get("type"), notes=data.get("notes"))
        return self._detail(sale)

    # --- lines --------------------------------------------------------------------------

    @extend_schema(
        summary="Add a medicine to a DRAFT (the same medicine again adds to its line)",
        description=(
            "The unit price comes from the catalogue for the sale's type; the answer is the "
            "whole sale with its new totals."
        ),
        request=SaleItemAddSerializer,
        responses={201: SaleDetailSerializer, **WRITE_ERRORS, **LINE_REFUSALS},
    )
    @action(detail=True, methods=["post"], url_path="items", url_name="items")
    def items(self, request, pk=None):
        with self._caller_sale(pk) as sale:
            data = self._valid(SaleItemAddSerializer)
            item = services.sale_item_add(
                sale=sale,
                medicine=data["medicine"],
                quantity=data["quantity"],
                discount=data.get("discount", ZERO),
            )
        return self._detail(item.sale, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change a DRAFT line's quantity or discount",
        description="The answer is the whole sale with its new totals.",
        parameters=[ITEM_PARAMETER],
        request=SaleItemUpdateSerializer,
        responses={200: SaleDetailSerializer, **WRITE_ERRORS, **LINE_REFUSALS},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a line from a DRAFT",
        description="The answer is the whole sale with its new totals.",
        parameters=[ITEM_PARAMETER],
        request=None,
        responses={200: SaleDetailSerializer, **WRITE_ERRORS, **LINE_REFUSALS},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"items/(?P<item_pk>[^/.]+)",
        url_name="item-detail",
    )
    def item_detail(self, request, pk=None, item_pk=None):
        with self._caller_sale(pk) as sale:
            item = self._item(sale, item_pk)
            if request.method == "DELETE":
                sale = services.sale_item_remove(item=item)
            else:
                data = self._valid(SaleItemUpdateSerializer)
                sale = services.sale_item_update(
                    item=item, quantity=data.get("quantity"), discount=data.get("discount")
                ).sale
        return self._detail(sale)

    # --- customer (seed 004) ------------------------------------------------------------

    @extend_schema(
        summary="Assign a customer to a DRAFT sale",
        description=(
            "DRAFT only; the customer must belong to the sale's business. POST and PATCH do "
            "the same. Audited as `sale.customer_updated`, which a cashier can read back "
            "with `GET /sales/api/audit-logs/?sale=<id>`."
        ),
        request=UpdateCustomerSerializer,
        responses={200: UpdateCustomerResponseSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post", "patch"], url_path="update_customer")
    def update_customer(self, request, pk=None):
        with self._caller_sale(pk) as sale:
            customer_id = services.parse_customer_id(request.data)
            self._valid(UpdateCustomerSerializer)
            change = services.sale_update_customer(
                sale=sale, customer_id=customer_id, actor=self._actor()
            )
        return Response(
            {
                "message": gettext("Customer updated successfully to %(customer)s")
                % {"customer": change.new_customer},
                "previous_customer": change.previous_customer,
                "new_customer": change.new_customer,
                "sale": self._shown(_with_lines(change.sale)),
            }
        )

    # --- lifecycle ----------------------------------------------------------------------

    @extend_schema(
        summary="Take payment and complete a DRAFT",
        description=(
            "Split tender: cash may exceed the total (the change is `change_due`); card, "
            "mobile money and on account may not. ON_ACCOUNT needs an active customer on the "
            "sale and must fit their credit limit, unless a manager sends "
            "`override_credit_limit: true`. Stock shortages are a 409 listing every one. "
            "The same payments sent again for a sale already completed with them answer 200 "
            "with the sale and change nothing. The answer's lines carry no `lots`; the "
            "sale's detail and receipt have them."
        ),
        request=SaleCompleteSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: SaleWithLinesSerializer, **MONEY_ERRORS, **COMPLETE_REFUSALS},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def complete(self, request, pk=None):
        with counting_outcome(CHECKOUTS), self._caller_sale(pk) as sale:
            data = self._valid(SaleCompleteSerializer)
            sale = services.sale_complete(
                sale=sale,
                payments=data["payments"],
                override_credit_limit=data["override_credit_limit"],
                actor=self._actor(),
            )
        # Without the lines' lots: they would cost the pinned checkout budget a statement.
        shown = SaleWithLinesSerializer(
            _with_lines(sale, lots=False), context={"request": request}
        ).data
        return Response(shown)

    @extend_schema(
        summary="Cancel a DRAFT, or reverse a COMPLETED sale (managers, with a reason)",
        description=(
            "Cancelling a COMPLETED sale returns its stock, reverses what it charged to the "
            "customer's account and keeps its receipt, marked cancelled. Send an "
            "`Idempotency-Key` so a retry never cancels twice."
        ),
        request=SaleCancelSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={200: SaleDetailSerializer, **MONEY_ERRORS, **CANCEL_REFUSALS},
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def cancel(self, request, pk=None):
        with self._caller_sale(pk) as sale:
            data = self._valid(SaleCancelSerializer)
            sale = services.sale_cancel(
                sale=sale, reason=data.get("reason", ""), actor=self._actor()
            )
        return self._detail(sale)

    @extend_schema(
        summary="The receipt of a completed sale, as JSON or a printable page",
        description=(
            "JSON for a till that lays the receipt out itself, or `?format=html` for the "
            "printable 80 mm page. Errors are JSON either way. A browser that opens the page "
            "with window.open (no token) uses the sale's `receipt_url` instead."
        ),
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): ReceiptSerializer,
            (200, "text/html"): OpenApiResponse(
                OpenApiTypes.STR, description="Printable page, 80 mm wide."
            ),
            # Errors are JSON whatever format was asked for (see finalize_response).
            **error_responses(400, 401, 403, 404, media_type="application/json"),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, ReceiptHTMLRenderer])
    def receipt(self, request, pk=None):
        sale = self.get_object()
        if request.accepted_renderer.format == ReceiptHTMLRenderer.format:
            return page_response(receipt_html(sale))
        return Response(ReceiptSerializer(receipt_data(sale)).data)

    @page_action(
        url_path="receipt/page",
        summary="The printable receipt of a completed sale",
        description=(
            "The page `?format=html` gives on the receipt, as its own operation. A browser "
            "that opens it with window.open (no token) uses the sale's `receipt_url`."
        ),
    )
    def receipt_page(self, request, pk=None):
        return page_response(receipt_html(self.get_object()))
