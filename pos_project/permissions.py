"""Who may call what: every endpoint needs a staff member; some actions need a manager."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

NO_STAFF_MESSAGE = _(
    "This account is not a staff member of any business. Ask the owner to add it to the "
    "staff in the back office."
)
MANAGER_MESSAGE = _("Only a manager or the owner may do this.")


def staff_of(user):
    return getattr(user, "staff_member", None) if user and user.is_authenticated else None


class IsStaffMember(BasePermission):
    """Authenticated, and working for a business.

    A view lists the actions only managers and owners may take in `manager_actions`,
    or sets `manager_only = True` when the whole view is theirs.
    """

    message = NO_STAFF_MESSAGE

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        staff = staff_of(request.user)
        if staff is None:
            self.message = NO_STAFF_MESSAGE
            return False
        needs_manager = getattr(view, "manager_only", False) or (
            getattr(view, "action", None) in getattr(view, "manager_actions", ())
        )
        if needs_manager and not staff.is_manager:
            self.message = MANAGER_MESSAGE
            return False
        return True
