"""Token authentication that loads the caller's staff membership and business with the user."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from pos_project.languages import api_language, use_language
from pos_project.permissions import staff_of

# `Authorization: Token <key>` (DRF's word) and `Bearer <key>` (what clients generated from
# the schema send by default) carry the same key.
TOKEN_KEYWORDS = ("Token", "Bearer")


class StaffTokenAuthentication(TokenAuthentication):
    """DRF's token auth under either keyword, fetching user, staff member and business in one
    query."""

    def authenticate(self, request):
        sent = get_authorization_header(request).split()
        word = sent[0].lower() if sent else b""
        # A fresh instance serves each request, so the keyword is this request's alone.
        self.keyword = next(
            (keyword for keyword in TOKEN_KEYWORDS if word == keyword.lower().encode()),
            TOKEN_KEYWORDS[0],
        )
        authenticated = super().authenticate(request)
        if authenticated is not None:
            # DRF authenticates inside the view, after every middleware has run: this is the
            # first moment the caller, and so their language, is known (pos_project.languages).
            use_language(request._request, api_language(request, staff_of(authenticated[0])))
        return authenticated

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__staff_member__business").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account is disabled.")
        return (token.user, token)
