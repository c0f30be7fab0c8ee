from django.db import DatabaseError, connection
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from pos_project.api.serializers import (
    MeSerializer,
    StorefrontSerializer,
)
from pos_project.models import Storefront
from pos_project.schema import error_responses
from pos_project.tenancy import BusinessScopedMixin


class MeView(APIView):
    @extend_schema(
        summary="Who the token belongs to",
        description=(
            "The caller's user, role, business (with its currency and time zone) and "
            "storefronts: what a till needs to start."
        ),
        responses={200: MeSerializer, **error_responses(401, 403)},
    )
    def get(self, request):
        return Response(MeSerializer(request.user.staff_member).data)


@extend_schema(
    summary="The business's storefronts",
    description="Where sales are made: pick one to open a sale. `is_active` filters them.",
    responses={200: StorefrontSerializer(many=True), **error_responses(401, 403)},
)
class StorefrontListView(BusinessScopedMixin, generics.ListAPIView):
    queryset = Storefront.objects.all()
    serializer_class = StorefrontSerializer
    filterset_fields = ["is_active"]
    ordering_fields = ["name"]


def healthz(request):
    """Liveness and database reachability, for load balancers and process managers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
