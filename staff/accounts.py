"""A staff member's log-in: a new password, their till key revoked, leaving the business and
coming back.

Each is audited in the business's trail; the password itself never is.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from audit.events import AuditEvent
from audit.services import audit_record
from pos_project.actors import Actor
from pos_project.errors import Forbidden
from pos_project.languages import in_english
from pos_project.models import StaffMember
from staff.errors import ErrorCode
from staff.locks import staff_member_lock
from staff.rights import last_owner_check, staff_manage_check
from staff.services import staff_password_check


def _locked_and_allowed(staff: StaffMember, actor: Actor) -> StaffMember:
    saved = staff_member_lock(staff)
    staff_manage_check(actor=actor, business=saved.business, roles=(saved.role,))
    return saved


def staff_password_reset(*, staff: StaffMember, password: str, actor: Actor) -> None:
    """Give the staff member's log-in a new password (they lost or forgot theirs)."""
    user = staff.user
    staff_password_check(password=password, user=user)
    with transaction.atomic():
        saved = _locked_and_allowed(staff, actor)
        user.set_password(password)
        user.save(update_fields=["password"])
        username = user.get_username()
        audit_record(
            business=saved.business,
            actor=actor,
            event_type=AuditEvent.STAFF_PASSWORD_RESET,
            description=f"{username}'s password reset",
            event_data={"username": username},
        )


def staff_key_revoke(*, staff: StaffMember, actor: Actor) -> None:
    """Log the staff member out of every till (a lost or stolen one): their API key stops
    working at once, and they stay on staff and log in again with their password. Revoking
    a key nobody holds changes nothing and is not audited."""
    with transaction.atomic():
        saved = _locked_and_allowed(staff, actor)
        revoked, _by_model = Token.objects.filter(user_id=saved.user_id).delete()
        if not revoked:
            return
        username = saved.user.get_username()
        audit_record(
            business=saved.business,
            actor=actor,
            event_type=AuditEvent.STAFF_KEY_REVOKED,
            description=f"{username} logged out of every till (key revoked)",
            event_data={"username": username},
        )


def staff_deactivate(*, staff: StaffMember, actor: Actor) -> None:
    """Someone left: their log-in stops working, at the till (key revoked) and in the
    back office. Their sales and audit entries keep their name."""
    _active_set(staff=staff, actor=actor, active=False)


def staff_reactivate(*, staff: StaffMember, actor: Actor) -> None:
    """Someone came back: their log-in works again, with the password it had."""
    _active_set(staff=staff, actor=actor, active=True)


def _active_set(*, staff: StaffMember, actor: Actor, active: bool) -> None:
    with transaction.atomic():
        saved = _locked_and_allowed(staff, actor)
        user = saved.user
        if not active and actor.user is not None and actor.user.pk == user.pk:
            raise Forbidden(
                "Permission denied",
                _("You cannot deactivate your own log-in."),
                code=ErrorCode.SELF_DEACTIVATION,
            )
        if user.is_active == active:
            return
        if not active:
            last_owner_check(staff=saved, action="deactivated")
            Token.objects.filter(user=user).delete()
        user.is_active = active
        user.save(update_fields=["is_active"])
        username = user.get_username()
        done = "reactivated" if active else "deactivated"
        audit_record(
            business=saved.business,
            actor=actor,
            event_type=AuditEvent.STAFF_REACTIVATED if active else AuditEvent.STAFF_DEACTIVATED,
            description=f"{username} ({in_english(saved.get_role_display())}) {done}",
            event_data={"username": username, "role": saved.role},
        )
