"""Admin login lock-outs (django-axes): auditing them, and lifting them from the back office.

django-axes counts failed logins per username and client address (the address the audit
trail records, see `pos_project.actors.client_ip`) and locks that pair out of the admin
after `AXES_FAILURE_LIMIT` failures. Each lock-out is written to the locked account's
business trail; a manager lifts it here, or an administrator with `manage.py axes_reset`.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.events import AuditEvent
from audit.services import audit_record
from pos_project.actors import Actor
from pos_project.errors import Forbidden
from pos_project.models import StaffMember
from staff.errors import ErrorCode
from staff.locks import access_attempts_lock

logger = logging.getLogger(__name__)


def outside_the_admin(request, credentials=None) -> bool:
    """Logins that django-axes leaves alone: every one but the admin's.

    The API's token endpoint has its own throttles; its failures must not lock anyone out
    of the back office, nor be audited as a back-office lock-out.
    """
    return not getattr(request, "path", "").startswith(reverse("admin:index"))


def _staff_named(username: str | None) -> StaffMember | None:
    if not username:
        return None
    return (
        StaffMember.objects.select_related("business", "user")
        .filter(user__username=username)
        .first()
    )


def lockout_record(*, username: str | None, ip_address: str | None, failures: int | None) -> None:
    """Audit the lock-out of `username` from `ip_address`, once: when it starts.

    django-axes reports every failure past the limit too; only the one that reaches the
    limit is a new lock-out. A username that is nobody's staff account has no trail to
    write to, and is only logged.
    """
    if failures is not None and failures != settings.AXES_FAILURE_LIMIT:
        return
    staff = _staff_named(username)
    if staff is None:
        logger.warning("Admin login locked out for unknown user %r from %s", username, ip_address)
        return
    actor = Actor(user=None, name="Login protection", ip_address=ip_address)
    where = ip_address or "an unknown address"
    with transaction.atomic():
        audit_record(
            business=staff.business,
            actor=actor,
            event_type=AuditEvent.STAFF_LOCKED_OUT,
            description=(
                f"{staff.user.get_username()} was locked out of the back office after "
                f"{settings.AXES_FAILURE_LIMIT} wrong passwords from {where}."
            ),
            event_data={
                "username": staff.user.get_username(),
                "ip_address": ip_address,
                "failure_limit": settings.AXES_FAILURE_LIMIT,
            },
        )


def wait_words(wait: timedelta | None) -> str:
    """A lock-out's length as a person says it: "60 minutes", "3 hours 15 minutes"."""
    if not wait:
        return ""
    minutes = max(1, round(wait.total_seconds() / 60))
    if minutes <= 120:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    hours, rest = divmod(minutes, 60)
    hours_words = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    if not rest:
        return hours_words
    return _("%(hours)s %(minutes)s") % {
        "hours": hours_words,
        "minutes": ngettext("%(count)s minute", "%(count)s minutes", rest) % {"count": rest},
    }


def locked_until(attempt) -> datetime | None:
    """When `attempt`'s lock-out ends by itself; None when it is not locked out (or a
    lock-out lasts until lifted)."""
    if attempt.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return None
    if not settings.AXES_COOLOFF_TIME:
        return None
    return attempt.attempt_time + settings.AXES_COOLOFF_TIME


def lockouts_visible_to(queryset: QuerySet, business) -> QuerySet:
    """The lock-outs of `business`'s staff accounts (every lock-out when `business` is None)."""
    if business is None:
        return queryset
    usernames = StaffMember.objects.filter(business=business).values("user__username")
    return queryset.filter(username__in=usernames)


def lockouts_lift(*, attempts: QuerySet, actor: Actor) -> int:
    """Clear the failed-login counts of `attempts`, lifting their lock-outs; audited."""
    if not actor.is_manager:
        raise Forbidden(
            "Permission denied",
            _("Only a manager or the owner may lift a login lock-out."),
            code=ErrorCode.MANAGER_REQUIRED,
        )
    lifted = 0
    with transaction.atomic():
        for attempt in access_attempts_lock(attempts):
            staff = _staff_named(attempt.username)
            attempt.delete()
            lifted += 1
            if staff is None:
                continue
            audit_record(
                business=staff.business,
                actor=actor,
                event_type=AuditEvent.STAFF_LOCKOUT_LIFTED,
                description=(
                    f"{actor.name} lifted the back-office lock-out of "
                    f"{attempt.username} from {attempt.ip_address}."
                ),
                event_data={"username": attempt.username, "ip_address": attempt.ip_address},
            )
    return lifted


def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """django-axes' `user_locked_out` signal."""
    lockout_record(
        username=username,
        ip_address=ip_address,
        failures=getattr(request, "axes_failures_since_start", None),
    )
