from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from audit.api.filters import AuditLogFilter
from audit.api.serializers import AuditLogSerializer
from audit.models import AuditLog
from pos_project.pagination import NewestFirstCursorPagination
from pos_project.schema import error_responses
from pos_project.tenancy import BusinessScopedMixin


class AuditLogPagination(NewestFirstCursorPagination):
    # Entries have no created_at; within a business the sequence breaks timestamp ties.
    ordering = ("-timestamp", "-sequence")


@extend_schema_view(
    list=extend_schema(
        summary="The business's audit trail, newest first",
        description=(
            "Managers and owners read the whole trail. A cashier reads the history of one "
            "sale at the till: with `?sale=<id>` (any `event_type`), and nothing else. "
            "Cursor-paginated: follow `next` and `previous`; `page_size` up to 200."
        ),
        responses={200: AuditLogSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="One audit entry",
        description="Managers and owners only.",
        responses={200: AuditLogSerializer, **error_responses(401, 403, 404)},
    ),
)
class AuditLogViewSet(BusinessScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only: entries are only ever written by the services that make the changes."""

    queryset = AuditLog.objects.all()
    serializer_class = AuditLogSerializer
    filterset_class = AuditLogFilter
    # The cursor fixes the order; a client-chosen ?ordering= would break its positions.
    filter_backends = [DjangoFilterBackend]
    pagination_class = AuditLogPagination

    @property
    def manager_only(self) -> bool:
        # The till shows one sale's history (who changed its customer, when); the rest of the
        # trail is the managers'. The sale is looked for within the caller's business only.
        return not (self.action == "list" and self.request.query_params.get("sale"))
