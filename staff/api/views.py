"""A till's key: logging in for one, logging out with it, and a manager revoking a staff
member's key (a lost or stolen till)."""

from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pos_project.actors import Actor
from pos_project.authentication import StaffTokenAuthentication
from pos_project.bidi import isolate
from pos_project.errors import ErrorCode, Forbidden, Invalid
from pos_project.models import StaffMember
from pos_project.schema import error_responses, refusals
from pos_project.throttles import LoginAddressThrottle, LoginUsernameThrottle
from staff.accounts import staff_key_revoke
from staff.api.serializers import TokenRequestSerializer, TokenResponseSerializer
from staff.rights import staff_manage_check

REVOKED_USERNAME_PARAMETER = OpenApiParameter(
    name="username",
    # Blank is a 400: a name has something other than spaces in it.
    type={"type": "string", "minLength": 1, "pattern": r"\S"},
    location=OpenApiParameter.QUERY,
    required=False,
    description=(
        "Managers and owners: revoke the key of this staff member of your business instead "
        "(a lost or stolen till), without removing them from staff."
    ),
)


class TokenView(APIView):
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
        responses={
            204: None,
            **error_responses(400, 401, 403, 404),
            **refusals(403, "manager_required", "owner_required"),
        },
        summary="Log out: revoke the key this request carries",
        description=(
            "Every later call with that key is a 401; logging in again gives a new one. With "
            "`?username=`, a manager or owner revokes a staff member's key instead (a lost "
            "till): that person logs in again with their password, and the business's audit "
            "trail records who revoked whose key (your own name logs you out). The owner may "
            "revoke anyone's key, a manager cashiers' only (403 `owner_required`), a cashier "
            "no one's (403 `manager_required`); a blank name is a 400, and a name not on your "
            "business's staff a 404."
        ),
    )
    def delete(self, request):
        username = request.query_params.get("username")
        if username is not None and not username.strip():
            raise ValidationError({"username": [_("Send a value, or leave the parameter out.")]})
        if username is None or username == request.user.get_username():
            Token.objects.filter(key=request.auth.key).delete()
            return Response(status=204)
        actor = Actor.from_request(request)
        # A cashier is refused before the name is looked up: whether a name is on staff is
        # for those who manage it.
        staff_manage_check(actor=actor, business=actor.staff.business, roles=())
        staff = (
            _staff_named(username)
            .filter(business_id=actor.staff.business_id)
            .select_related("user", "business")
            .first()
        )
        if staff is None:
            raise NotFound(
                _("No staff member named %(username)s in your business.")
                % {"username": isolate(username)}
            )
        staff_key_revoke(staff=staff, actor=actor)
        return Response(status=204)


def _staff_named(username: str):
    """The staff members with log-in name `username`: none for a name no log-in can have
    (longer than the field, or holding a NUL, which PostgreSQL cannot even compare)."""
    longest = get_user_model()._meta.get_field("username").max_length
    if len(username) > longest or "\x00" in username:
        return StaffMember.objects.none()
    return StaffMember.objects.filter(user__username=username)
