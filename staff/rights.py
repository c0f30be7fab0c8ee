"""Who may manage whose staff account: the owner anyone's, a manager only cashiers'.

One rule for every staff change (adding, the role, the password, leaving), whether it
comes from the back office or a command.
"""

from django.utils.translation import gettext_lazy as _

from pos_project.actors import Actor
from pos_project.bidi import isolate
from pos_project.errors import Forbidden
from pos_project.models import Business, Role, StaffMember
from staff.errors import ErrorCode

CASHIERS_ONLY_MESSAGE = _("A manager adds and changes cashiers only; ask the owner.")
# What the last owner cannot be, and what to do instead.
LAST_OWNER_MESSAGES = {
    "given another role": _(
        "%(username)s is the business's only owner and cannot be given another role; make "
        "someone else owner first."
    ),
    "removed": _(
        "%(username)s is the business's only owner and cannot be removed; make someone else "
        "owner first."
    ),
    "deactivated": _(
        "%(username)s is the business's only owner and cannot be deactivated; make someone "
        "else owner first."
    ),
}


def staff_manage_check(*, actor: Actor, business: Business, roles: tuple[str, ...]) -> None:
    """Refuse unless `actor` may manage staff of `business` holding each of `roles`.

    Commands and superusers act as the owner of any business.
    """
    if actor.user is None or actor.user.is_superuser:
        return
    staff = actor.staff
    if staff is None or staff.business_id != business.pk or not staff.is_manager:
        raise Forbidden(
            "Permission denied",
            _("Only a manager or the owner of this business may manage its staff."),
            code=ErrorCode.MANAGER_REQUIRED,
        )
    if not staff.is_owner and any(role != Role.CASHIER for role in roles):
        raise Forbidden("Permission denied", CASHIERS_ONLY_MESSAGE, code=ErrorCode.OWNER_REQUIRED)


def may_manage(*, actor: Actor, staff: StaffMember) -> bool:
    """Whether `actor` may change `staff` at all (the back office greys out the rest)."""
    try:
        staff_manage_check(actor=actor, business=staff.business, roles=(staff.role,))
    except Forbidden:
        return False
    return True


def last_owner_check(*, staff: StaffMember, action: str) -> None:
    """Refuse `action` (one of `LAST_OWNER_MESSAGES`) on the business's only active owner:
    someone must run it."""
    if staff.role != Role.OWNER:
        return
    others = StaffMember.objects.filter(
        business_id=staff.business_id, role=Role.OWNER, user__is_active=True
    ).exclude(pk=staff.pk)
    if not others.exists():
        raise Forbidden(
            "Last owner",
            LAST_OWNER_MESSAGES[action] % {"username": isolate(staff.user.get_username())},
            code=ErrorCode.LAST_OWNER,
        )
