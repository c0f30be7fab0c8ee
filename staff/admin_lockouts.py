"""The back office's lock-outs page: failed logins of the business's staff, who, from
where, until when, and a "Lift" button on each row."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from pos_project.actors import Actor
from pos_project.admin_scoping import BackOfficeRights, NamedListTitle, admin_business
from pos_project.bidi import isolate
from pos_project.errors import DomainError
from staff.lockouts import locked_until, lockouts_lift, lockouts_visible_to


@admin.register(AccessAttempt)
class LoginLockoutAdmin(NamedListTitle, BackOfficeRights, admin.ModelAdmin):
    """Failed back-office logins of the business's staff: who, from where, until when.

    A pair at the failure limit is locked out; "Lift" on its row clears its count (audited).
    """

    list_display = ["person", "ip_address", "failures", "until", "lift"]
    list_display_links = None
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["lift_lockouts"]

    def get_queryset(self, request):
        # The person's name read with the rows, not once per row.
        named = get_user_model().objects.filter(username=OuterRef("username"))
        return lockouts_visible_to(super().get_queryset(request), admin_business(request)).annotate(
            first_name=Subquery(named.values("first_name")[:1]),
            last_name=Subquery(named.values("last_name")[:1]),
        )

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Lifting is the audited way to remove a count; see "Lift".
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("person"), ordering="username")
    def person(self, attempt):
        name = _full_name(attempt)
        if not name:
            return attempt.username
        return format_html(
            '<bdi>{}</bdi> <span class="help">(<bdi>{}</bdi>)</span>', name, attempt.username
        )

    @admin.display(description=_("wrong passwords"), ordering="failures_since_start")
    def failures(self, attempt):
        return _("%(failures)s of %(limit)s") % {
            "failures": attempt.failures_since_start,
            "limit": settings.AXES_FAILURE_LIMIT,
        }

    @admin.display(description=_("locked until"), ordering="attempt_time")
    def until(self, attempt):
        if attempt.failures_since_start < settings.AXES_FAILURE_LIMIT:
            return gettext("Not locked out")
        ends = locked_until(attempt)
        if ends is None:
            return gettext("Until lifted")
        # In the shop's time zone, which the back office has made the current one.
        return date_format(timezone.localtime(ends), "DATETIME_FORMAT")

    @admin.display(description="")
    def lift(self, attempt):
        # Inside the list's form, which carries the CSRF token: this button posts it here.
        url = reverse("admin:axes_accessattempt_lift", args=[attempt.pk])
        return format_html(
            '<button type="submit" formaction="{}" class="button lift-lockout">{}</button>',
            url,
            gettext("Lift"),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/lift/",
                self.admin_site.admin_view(self.lift_view),
                name="axes_accessattempt_lift",
            ),
            *super().get_urls(),
        ]

    def lift_view(self, request, object_id):
        """ "Lift" on a row: that lock-out cleared, audited; only by POST."""
        if request.method != "POST" or not self.has_view_permission(request):
            raise Http404
        attempts = self.get_queryset(request).filter(pk=object_id)
        attempt = attempts.first()
        if attempt is None:
            raise Http404
        try:
            lockouts_lift(attempts=attempts, actor=Actor.from_request(request))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext("%(person)s may log in again from %(address)s.")
                % {
                    "person": isolate(_full_name(attempt) or attempt.username),
                    "address": isolate(attempt.ip_address),
                },
            )
        return HttpResponseRedirect(reverse("admin:axes_accessattempt_changelist"))

    @admin.action(description=_("Lift the selected lock-outs"))
    def lift_lockouts(self, request, queryset):
        try:
            lifted = lockouts_lift(attempts=queryset, actor=Actor.from_request(request))
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("Lifted %(count)s lock-out.", "Lifted %(count)s lock-outs.", lifted)
            % {"count": lifted},
            level=messages.SUCCESS,
        )


def _full_name(attempt) -> str:
    return f"{attempt.first_name or ''} {attempt.last_name or ''}".strip()
