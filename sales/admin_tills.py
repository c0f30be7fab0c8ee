"""Tills in the back office: the tills themselves, the sessions open now with the cash they
should hold, closed sessions with their Z reports and variances, and a manager's "close
session" form for a cashier who left without closing.

Every change goes through `sales.services.tills`, as from the API; the close form runs once
per rendered page (`pos_project.admin_forms.OneTimeForm`), so a double click closes once.
A variance beyond `settings.TILL_VARIANCE_TOLERANCE`, either way, shows in red.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from pos_project.actors import Actor, display_name
from pos_project.admin_scoping import BusinessScopedAdmin, admin_business, adopt_created_row
from pos_project.errors import DomainError
from pos_project.money import format_money
from sales.admin_till_exports import ZReportsExport
from sales.admin_till_forms import CashMovementForm, CloseSessionForm, OpenTillForm
from sales.admin_views import BACK_OFFICE_CSS
from sales.models import Till, TillSession, TillSessionStatus
from sales.services.tills import (
    till_cash_move,
    till_create,
    till_session_close,
    till_session_open,
    till_update,
)
from sales.till_report import till_report_data, till_report_html
from sales.till_sessions import drawer_label
from sales.till_totals import till_session_totals


@admin.register(Till)
class TillAdmin(BusinessScopedAdmin):
    list_display = ["name", "storefront", "is_active", "created_at"]
    list_filter = ["is_active", ("storefront", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["storefront"]
    search_fields = ["name", "storefront__name"]

    def get_fields(self, request, obj=None):
        # A till stays at its storefront: its sessions' money was taken there.
        return ["storefront", "name"] if obj is None else ["storefront", "name", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["storefront"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # A till with sessions is history; deactivate it instead.
        return False

    def save_model(self, request, obj, form, change):
        actor = Actor.from_request(request)
        if change:
            till_update(
                till=obj, name=form.cleaned_data["name"], is_active=obj.is_active, actor=actor
            )
            return
        storefront = form.cleaned_data["storefront"]
        created = till_create(
            business=storefront.business, storefront=storefront, name=obj.name, actor=actor
        )
        adopt_created_row(obj, created)


@admin.register(TillSession)
class TillSessionAdmin(ZReportsExport, BusinessScopedAdmin):
    list_display = [
        "label",
        "till",
        "cashier",
        "status",
        "opened",
        "expected",
        "counted",
        "variance_shown",
        "report_link",
    ]
    list_filter = ["status", ("till", admin.RelatedOnlyFieldListFilter), "opened_at"]
    list_select_related = ["business", "till", "till__storefront", "opened_by"]
    search_fields = ["z_number", "till__name", "opened_by__username"]
    ordering = ["-opened_at", "-id"]
    date_hierarchy = "opened_at"

    class Media:
        css = {"all": [BACK_OFFICE_CSS]}

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- columns --------------------------------------------------------------------------

    def _money(self, session, amount):
        return format_money(amount, session.business.currency_symbol) if amount is not None else "-"

    @admin.display(description=gettext_lazy("session"), ordering="z_number")
    def label(self, session):
        return session.z_number or gettext("open")

    @admin.display(description=gettext_lazy("cashier"), ordering="opened_by__username")
    def cashier(self, session):
        return display_name(session.opened_by)

    @admin.display(description=gettext_lazy("opened"), ordering="opened_at")
    def opened(self, session):
        moment = timezone.localtime(session.opened_at, session.business.zone)
        return date_format(moment, "DATETIME_FORMAT")

    @admin.display(description=gettext_lazy("expected cash"))
    def expected(self, session):
        # An open session's expected cash so far, from its money; a closed one's as stored.
        if session.is_open:
            return self._money(session, till_report_data(session)["expected_cash"])
        return self._money(session, session.expected_cash)

    @admin.display(description=gettext_lazy("counted cash"), ordering="counted_cash")
    def counted(self, session):
        return self._money(session, session.counted_cash)

    @admin.display(description=gettext_lazy("variance"), ordering="variance")
    def variance_shown(self, session):
        if session.variance is None:
            return "-"
        text = self._money(session, session.variance)
        if abs(session.variance) > settings.TILL_VARIANCE_TOLERANCE:
            return format_html(
                '<strong class="variance-alert" style="color:#ba2121">{}</strong>', text
            )
        return text

    @admin.display(description=gettext_lazy("report"))
    def report_link(self, session):
        report = reverse("admin:sales_tillsession_report", args=[session.pk])
        kind = gettext("X report") if session.is_open else gettext("Z report")
        links = [(report, ' target="_blank"', kind)]
        if session.is_open:
            cash = reverse("admin:sales_tillsession_cash", args=[session.pk])
            links.append((cash, "", gettext("Pay in or out")))
            close = reverse("admin:sales_tillsession_close", args=[session.pk])
            links.append((close, "", gettext("Close session")))
        return format_html_join(
            mark_safe(" &middot; "),
            '<a href="{}"{}>{}</a>',
            ((u, mark_safe(t), label) for u, t, label in links),
        )

    # --- the report page and the close form ----------------------------------------------

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/report/",
                self.admin_site.admin_view(self.report_view),
                name="sales_tillsession_report",
            ),
            path(
                "<uuid:object_id>/close/",
                self.admin_site.admin_view(self.close_view),
                name="sales_tillsession_close",
            ),
            path(
                "<uuid:object_id>/cash/",
                self.admin_site.admin_view(self.cash_view),
                name="sales_tillsession_cash",
            ),
            path(
                "open/", self.admin_site.admin_view(self.open_view), name="sales_tillsession_open"
            ),
            *super().get_urls(),
        ]

    def _session(self, request, object_id) -> TillSession:
        if not self.has_view_permission(request):
            raise Http404
        # Scoped like the list: another business's session does not exist here.
        session = (
            self.get_queryset(request)
            .select_related("business", "till", "till__storefront", "opened_by", "closed_by")
            .filter(pk=object_id)
            .first()
        )
        if session is None:
            raise Http404(gettext("No such till session."))
        return session

    def changelist_view(self, request, extra_context=None):
        extra = {"open_url": reverse("admin:sales_tillsession_open")}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def _action_page(self, request, template, title, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "list_url": reverse("admin:sales_tillsession_changelist"),
                "back_office_css": BACK_OFFICE_CSS,
                **context,
            },
        )

    def open_view(self, request):
        """ "Open a till": a till with no open session and the float counted into it, through
        the service the API's open calls (same rules, same audit entry)."""
        business = admin_business(request)
        if not self.has_view_permission(request) or business is None:
            raise Http404
        list_url = reverse("admin:sales_tillsession_changelist")
        # Every active till is a valid choice, so a second submit of the page gets the
        # first one's answer; a till already open is named so, and the service refuses it.
        is_open = Q(sessions__status=TillSessionStatus.OPEN)
        tills = (
            Till.objects.filter(business=business, is_active=True, storefront__is_active=True)
            .select_related("storefront")
            .annotate(open_sessions=Count("sessions", filter=is_open))
            .order_by("open_sessions", "storefront__name", "name")
        )
        form = OpenTillForm(request.POST or None, tills=tills)
        actor = Actor.from_request(request)

        def open_till() -> str:
            till = tills.get(pk=form.cleaned_data["till"])
            session = till_session_open(
                till=till, opening_float=form.cleaned_data["opening_float"], actor=actor
            )
            return gettext(
                "%(till)s opened with a float of %(float)s. Cash you take or give back in the "
                "back office goes through its drawer."
            ) % {
                "till": session.till.name,
                "float": format_money(session.opening_float, business.currency_symbol),
            }

        if request.method == "POST" and form.is_valid():
            try:
                done = form.submit_once(request, business=business, work=open_till)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(list_url)
        return self._action_page(
            request,
            "admin/sales/tillsession/open.html",
            gettext("Open a till"),
            form=form,
            has_tills=any(till.open_sessions == 0 for till in tills),
        )

    def cash_view(self, request, object_id):
        """ "Pay in or out": cash put into an open session's drawer or taken out of it."""
        session = self._session(request, object_id)
        list_url = reverse("admin:sales_tillsession_changelist")
        if not session.is_open:
            messages.error(
                request,
                gettext("%(session)s is closed; it never changes again.") % {"session": session},
            )
            return HttpResponseRedirect(list_url)
        form = CashMovementForm(request.POST or None)
        actor = Actor.from_request(request)
        symbol = session.business.currency_symbol

        def move() -> str:
            movement = till_cash_move(session=session, actor=actor, **form.service_fields())
            return gettext("%(type)s of %(amount)s on %(till)s: %(reason)s.") % {
                "type": movement.get_type_display(),
                "amount": format_money(movement.amount, symbol),
                "till": session.till.name,
                "reason": movement.reason,
            }

        if request.method == "POST" and form.is_valid():
            try:
                done = form.submit_once(request, business=session.business, work=move)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(list_url)
        return self._action_page(
            request,
            "admin/sales/tillsession/cash.html",
            gettext("Pay in or out: %(drawer)s") % {"drawer": drawer_label(session)},
            session=session,
            form=form,
            expected_text=format_money(till_session_totals(session).expected_cash, symbol),
        )

    def report_view(self, request, object_id):
        session = self._session(request, object_id)
        page = till_report_html(session, show_expected=Actor.from_request(request).is_manager)
        return HttpResponse(page, content_type="text/html; charset=utf-8")

    def close_view(self, request, object_id):
        session = self._session(request, object_id)
        list_url = reverse("admin:sales_tillsession_changelist")
        actor = Actor.from_request(request)
        form = CloseSessionForm(request.POST or None)

        def close() -> str:
            closed = till_session_close(
                session=session,
                counted_cash=form.cleaned_data["counted_cash"],
                note=form.cleaned_data["note"],
                actor=actor,
            )
            symbol = closed.business.currency_symbol
            return gettext(
                "%(till)s closed (%(z_number)s): expected %(expected)s, counted %(counted)s, "
                "variance %(variance)s."
            ) % {
                "till": closed.till.name,
                "z_number": closed.z_number,
                "expected": format_money(closed.expected_cash, symbol),
                "counted": format_money(closed.counted_cash, symbol),
                "variance": format_money(closed.variance, symbol),
            }

        # A form submitted again goes to the service first: the first submit's result.
        if request.method == "POST" and form.is_valid():
            try:
                closed = form.submit_once(request, business=session.business, work=close)
            except DomainError as error:
                messages.error(request, error.message)
                if session.status == TillSessionStatus.CLOSED:
                    return HttpResponseRedirect(list_url)
            else:
                messages.success(request, closed)
                return HttpResponseRedirect(list_url)
        if session.status == TillSessionStatus.CLOSED:
            messages.error(
                request,
                gettext("%(session)s is already closed; it never changes again.")
                % {"session": session},
            )
            return HttpResponseRedirect(list_url)
        report = till_report_data(session)
        return TemplateResponse(
            request,
            "admin/sales/tillsession/close.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Close %(till)s (%(cashier)s)")
                % {"till": session.till.name, "cashier": display_name(session.opened_by)},
                "session": session,
                "list_url": list_url,
                "form": form,
                "expected_text": format_money(report["expected_cash"], report["currency_symbol"]),
                "float_text": format_money(session.opening_float, report["currency_symbol"]),
                "sales_count": report["sales"]["count"],
                "back_office_css": BACK_OFFICE_CSS,
            },
        )
