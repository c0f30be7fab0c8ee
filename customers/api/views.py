"""The customer endpoints: thin wrappers that validate, call a service, and answer."""

from dataclasses import asdict

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from customers.api.filters import CustomerFilterSet, CustomerOrderingFilter
from customers.api.serializers import (
    CustomerDeletedSerializer,
    CustomerSerializer,
    CustomerStatsQuerySerializer,
    CustomerStatsSerializer,
    CustomerWriteSerializer,
)
from customers.models import Customer
from customers.selectors import customer_stats
from customers.services import DeleteOutcome, customer_create, customer_delete, customer_update
from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.pagination import SearchPagination
from pos_project.schema import error_responses, refusals
from pos_project.tenancy import BusinessScopedMixin
from receivables.api.views import CustomerReceivablesMixin
from receivables.reports import receivables_position_and_average_sale, recent_buyers

WRITE_ERRORS = error_responses(400, 401, 403, 404)
# What a rule may refuse in a customer's details, on create and on change.
DETAILS_REFUSALS = {
    **refusals(400, "invalid_phone", "duplicate_phone"),
    **refusals(403, "manager_only_field"),
}


@extend_schema_view(
    list=extend_schema(
        summary="List and search customers",
        description=(
            "Deactivated customers are left out unless `is_active` asks for them "
            "(`false` or `all`)."
        ),
        responses={200: CustomerSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="One customer, active or not",
        description=(
            "The customer's details, balance and purchase statistics. Opens deactivated "
            "customers too; another business's customer is a 404."
        ),
        responses={200: CustomerSerializer, **error_responses(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Create a customer (also the POS quick-create)",
        description=(
            "A name is enough for the till's quick-create; the phone is stored in E.164 form "
            "and must be unique within the business (400 `duplicate_phone` otherwise). Only "
            "managers may set a credit limit."
        ),
        request=CustomerWriteSerializer,
        responses={201: CustomerSerializer, **error_responses(400, 401, 403), **DETAILS_REFUSALS},
    ),
    update=extend_schema(
        summary="Replace a customer's details",
        description=(
            "Send every field; use PATCH to change some. Only managers may change the credit "
            "limit. Audited."
        ),
        request=CustomerWriteSerializer,
        responses={200: CustomerSerializer, **WRITE_ERRORS, **DETAILS_REFUSALS},
    ),
    partial_update=extend_schema(
        summary="Change some of a customer's details",
        description=("Send only what changes. Only managers may change the credit limit. Audited."),
        request=CustomerWriteSerializer,
        responses={200: CustomerSerializer, **WRITE_ERRORS, **DETAILS_REFUSALS},
    ),
    destroy=extend_schema(
        summary="Delete a customer, or deactivate one with history",
        description=(
            "204: the customer had no sales and no ledger entries and is gone. 200: they have "
            "history, so they are deactivated instead (hidden from the POS search). 409: they "
            "owe money (`outstanding_balance`), and nothing changes. Managers and owners only."
        ),
        responses={
            204: OpenApiResponse(description="Deleted."),
            200: CustomerDeletedSerializer,
            **error_responses(401, 403, 404, 409),
            **refusals(403, "manager_required"),
            **refusals(409, "customer_has_balance"),
        },
    ),
)
class CustomerViewSet(CustomerReceivablesMixin, BusinessScopedMixin, viewsets.ModelViewSet):
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet
    filter_backends = [DjangoFilterBackend, CustomerOrderingFilter]
    ordering_fields = [
        "name",
        "created_at",
        "outstanding_balance",
        "total_purchases",
        "last_purchase_date",
    ]
    ordering = ["name"]
    pagination_class = SearchPagination
    manager_actions = ("destroy", *getattr(CustomerReceivablesMixin, "manager_actions", ()))

    def get_object(self):
        # By id, a customer opens whatever the list filters would say: the list hides
        # deactivated customers, but their page, history and statement stay reachable.
        customer = get_object_or_404(self.get_queryset(), pk=self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, customer)
        customer.business = self.business
        return customer

    def _write_data(self, *, partial: bool) -> dict:
        serializer = CustomerWriteSerializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def create(self, request, *args, **kwargs):
        data = self._write_data(partial=False)
        customer = customer_create(
            business=self.business, actor=Actor.from_request(request), **data
        )
        return Response(CustomerSerializer(customer).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.get("partial", False)
        customer = self.get_object()
        data = self._write_data(partial=partial)
        customer = customer_update(customer=customer, actor=Actor.from_request(request), data=data)
        return Response(CustomerSerializer(customer).data)

    def destroy(self, request, *args, **kwargs):
        customer = self.get_object()
        outcome = customer_delete(customer=customer, actor=Actor.from_request(request))
        if outcome == DeleteOutcome.DELETED:
            return Response(status=status.HTTP_204_NO_CONTENT)
        customer.refresh_from_db()
        body = {
            "outcome": outcome,
            "message": _(
                "%(name)s has sales or a ledger, so they were deactivated instead of "
                "deleted: hidden from the POS search, history kept."
            )
            % {"name": isolate(customer.name)},
            "customer": CustomerSerializer(customer).data,
        }
        return Response(CustomerDeletedSerializer(body).data)

    @extend_schema(
        summary="Customer dashboard figures",
        description=(
            "Counts and money figures of the business's customers over the last `days` days, "
            "for the back office's dashboard."
        ),
        parameters=[CustomerStatsQuerySerializer],
        responses={200: CustomerStatsSerializer, **error_responses(400, 401, 403)},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def stats(self, request):
        query = CustomerStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = query.validated_data["days"]
        figures = customer_stats(business=self.business)
        position, average_sale = receivables_position_and_average_sale(business=self.business)
        return Response(
            CustomerStatsSerializer(
                {
                    **asdict(figures),
                    "active_customers": recent_buyers(business=self.business, days=days),
                    "days": days,
                    "average_purchase_value": average_sale,
                    "total_outstanding": position.owed,
                    "total_credit_held": position.credit_held,
                    "net_receivables": position.net,
                }
            ).data
        )
