"""Token authentication that loads the caller's staff membership and business with the user."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class StaffTokenAuthentication(TokenAuthentication):
    """DRF's token auth, fetching user, staff member and business in one query."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__staff_member__business").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account is disabled.")
        return (token.user, token)
