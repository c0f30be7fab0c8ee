from django.contrib.auth import authenticate
from django.db import DatabaseError, connection
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pos_project.api.serializers import (
    MeSerializer,
    StorefrontSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from pos_project.errors import ErrorCode, Forbidden, Invalid
from pos_project.models import Storefront
from pos_project.schema import error_responses
from pos_project.tenancy import BusinessScopedMixin
from pos_project.throttles import LoginAddressThrottle, LoginUsernameThrottle


class ObtainTokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginAddressThrottle, LoginUsernameThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, **error_responses(400, 429)},
        auth=[],
        summary="Exchange a username and password for an API token",
        description=(
            "Send it on every other call as `Authorization: Token <token>`. The same user "
            "always gets the same token. Repeated wrong passwords from one address are "
            "throttled (429)."
        ),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            raise Invalid(
                "Invalid credentials",
                "The username or password is wrong. Check them and try again.",
                code=ErrorCode.INVALID_CREDENTIALS,
            )
        if not hasattr(user, "staff_member"):
            raise Forbidden(
                "No staff membership",
                "This account does not work for any business. Ask the owner to add it.",
                code=ErrorCode.NO_STAFF_MEMBERSHIP,
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
