from django.contrib.auth import authenticate
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pos_project.api.serializers import (
    MeSerializer,
    StorefrontSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from pos_project.authentication import StaffTokenAuthentication
from pos_project.bidi import isolate
from pos_project.errors import ErrorCode, Forbidden, Invalid
from pos_project.models import StaffMember, Storefront
from pos_project.permissions import MANAGER_MESSAGE
from pos_project.schema import error_responses, refusals
from pos_project.tenancy import BusinessScopedMixin
from pos_project.throttles import LoginAddressThrottle, LoginUsernameThrottle

REVOKED_USERNAME_PARAMETER = OpenApiParameter(
    name="username",
    type=str,
    location=OpenApiParameter.QUERY,
    required=False,
    description=(
        "Managers and owners: revoke the key of this staff member of your business instead "
        "(a lost or stolen till), without removing them from staff."
    ),
)


class ObtainTokenView(APIView):
    """Logging in needs no key; logging out is done with the key it revokes."""

    throttle_classes = [LoginAddressThrottle, LoginUsernameThrottle]

    def _logging_out(self) -> bool:
        # The schema generator asks before it has a request.
        return getattr(self.request, "method", None) == "DELETE"

    def get_authenticators(self):
        return [StaffTokenAuthentication()] if self._logging_out() else []

    def get_permissions(self):
        return super().get_permissions() if self._logging_out() else [AllowAny()]

    def get_throttles(self):
        return [] if self._logging_out() else super().get_throttles()

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            **error_responses(400, 403, 429),
            **refusals(400, "invalid_credentials"),
            **refusals(403, "no_staff_membership"),
        },
        auth=[],
        summary="Exchange a username and password for an API token",
        description=(
            "Send it on every other call as `Authorization: Token <token>` (or `Bearer "
            "<token>`). The same user always gets the same token, valid until it is revoked "
            "(DELETE on this address): it does not expire by itself. Repeated wrong passwords "
            "from one address are throttled (429)."
        ),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            raise Invalid(
                "Invalid credentials",
                _("The username or password is wrong. Check them and try again."),
                code=ErrorCode.INVALID_CREDENTIALS,
            )
        if not hasattr(user, "staff_member"):
            raise Forbidden(
                "No staff membership",
                _("This account does not work for any business. Ask the owner to add it."),
                code=ErrorCode.NO_STAFF_MEMBERSHIP,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(
        parameters=[REVOKED_USERNAME_PARAMETER],
        responses={204: None, **error_responses(401, 403, 404)},
        summary="Log out: revoke the key this request carries",
        description=(
            "Every later call with that key is a 401; logging in again gives a new one. With "
            "`?username=`, a manager or owner revokes a staff member's key instead (a lost "
            "till): that person logs in again with their password. A cashier may not (403); "
            "a username not on your business's staff is a 404."
        ),
    )
    def delete(self, request):
        username = request.query_params.get("username")
        if username is None:
            Token.objects.filter(key=request.auth.key).delete()
            return Response(status=204)
        caller = request.user.staff_member
        if not caller.is_manager:
            raise PermissionDenied(MANAGER_MESSAGE)
        staff = StaffMember.objects.filter(
            business_id=caller.business_id, user__username=username
        ).first()
        if staff is None:
            raise NotFound(
                _("No staff member named %(username)s in your business.")
                % {"username": isolate(username)}
            )
        Token.objects.filter(user_id=staff.user_id).delete()
        return Response(status=204)


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
