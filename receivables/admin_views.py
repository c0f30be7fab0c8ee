"""The receivables' back-office pages, mixed into the customers' admin.

- "Record payment" and "Adjust credit": small forms calling the same services as the API;
- the Debtors report with its ageing chart and CSV export.

Every page opens the customer through the admin's business-scoped queryset, so another
business's customer is a 404, exactly as in the API. Business rules stay in the services:
a refusal comes back as a DomainError and is shown on the form and as a message.
"""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from customers.selectors import customer_search
from pos_project.actors import Actor
from pos_project.admin_scoping import admin_business
from pos_project.bidi import isolate
from pos_project.error_pages import refusal_page
from pos_project.errors import DomainError
from pos_project.models import Business
from pos_project.pagination import CountedPaginator
from pos_project.spreadsheets import spreadsheet_download
from receivables.admin_display import ageing_chart_svg, balance_words, money_text, position_cards
from receivables.admin_forms import (
    AdjustCreditForm,
    DebtorsFilterForm,
    RecordPaymentForm,
    StatementRangeForm,
    refusal_to_form,
)
from receivables.api.debtors import DebtorViewSet
from receivables.models import AdjustmentType, DebtPaymentMethod
from receivables.reports import (
    BUCKET_LABELS,
    BUCKETS,
    ReceivablesPosition,
    debtors_in_bucket,
    debtors_report,
    debtors_totals,
    report_clock,
)
from receivables.services import (
    customer_adjust_credit,
    customer_record_payment,
)
from receivables.statements import (
    StatementOfAccount,
    statement_html,
    statement_of_account,
    statement_sheet,
)
from sales.drawer_choice import add_drawer_field
from sales.till_sessions import drawer_label

DEBTORS_PER_PAGE = 50


class ReceivablesBackOfficeViews:
    """Mixed into CustomerAdmin after CustomerBackOfficeViews, whose helpers open the
    customer in the admin's scope (`_scoped_customer`, `_page_context`, `_profile_url`,
    `_next_url`)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("debtors/", view(self.debtors_view), name="customers_customer_debtors"),
            path(
                "debtors/export/",
                view(self.debtors_export_view),
                name="customers_customer_debtors_export",
            ),
            path(
                "<uuid:object_id>/record-payment/",
                view(self.record_payment_view),
                name="customers_customer_record_payment",
            ),
            path(
                "<uuid:object_id>/adjust-credit/",
                view(self.adjust_credit_view),
                name="customers_customer_adjust_credit",
            ),
            path(
                "<uuid:object_id>/statement/",
                view(self.statement_view),
                name="customers_customer_statement",
            ),
            path(
                "<uuid:object_id>/statement/export/",
                view(self.statement_export_view),
                name="customers_customer_statement_export",
            ),
            *super().get_urls(),
        ]

    # -- record a payment

    def record_payment_view(self, request, object_id):
        customer = self._scoped_customer(request, object_id)
        back = self._next_url(request, self._profile_url(customer))
        form = RecordPaymentForm(request.POST or None)
        business = customer.business
        # Cash goes into the manager's own open till, or one chosen among those open.
        add_drawer_field(form, user=request.user, business=business, into=True)

        def record() -> str:
            payment = customer_record_payment(
                customer=customer,
                actor=Actor.from_request(request),
                **form.service_fields(),
            )
            words = {
                "amount": money_text(payment.amount, business),
                "name": isolate(customer.name),
                "balance": balance_words(payment.customer.outstanding_balance, business),
            }
            if payment.till_session is not None and payment.method == DebtPaymentMethod.CASH:
                return _(
                    "Payment of %(amount)s recorded from %(name)s into the drawer of "
                    "%(drawer)s, who now %(balance)s."
                ) % {**words, "drawer": drawer_label(payment.till_session)}
            return _("Payment of %(amount)s recorded from %(name)s, who now %(balance)s.") % words

        return self._receivable_form(
            request,
            customer,
            form,
            work=record,
            title=_("Record a payment from %(name)s") % {"name": isolate(customer.name)},
            submit_label=_("Record payment"),
            back=back,
        )

    # -- adjust credit

    def adjust_credit_view(self, request, object_id):
        customer = self._scoped_customer(request, object_id)
        back = self._next_url(request, self._profile_url(customer))
        actor = Actor.from_request(request)
        if not actor.is_manager:
            messages.error(
                request, _("Only a manager or the owner may adjust a customer's credit.")
            )
            return HttpResponseRedirect(back)
        form = AdjustCreditForm(request.POST or None)
        business = customer.business

        def adjust() -> str:
            entry = customer_adjust_credit(customer=customer, actor=actor, **form.service_fields())
            words = {
                "amount": money_text(form.cleaned_data["amount"], business),
                "name": isolate(customer.name),
                "balance": balance_words(entry.customer.outstanding_balance, business),
            }
            if form.cleaned_data["type"] == AdjustmentType.ADD:
                return _("%(amount)s of credit given to %(name)s, who now %(balance)s.") % words
            return _("%(amount)s of credit taken from %(name)s, who now %(balance)s.") % words

        return self._receivable_form(
            request,
            customer,
            form,
            work=adjust,
            title=_("Adjust the credit of %(name)s") % {"name": isolate(customer.name)},
            submit_label=_("Adjust credit"),
            back=back,
        )

    def _receivable_form(self, request, customer, form, *, work, title, submit_label, back):
        """Run a posted form's `work` once (a second submit shows the first result) and go
        back; otherwise, or when refused, show the form with what went wrong."""
        business = customer.business
        if request.method == "POST" and form.is_valid():
            try:
                done = form.submit_once(request, business=business, work=work)
            except DomainError as error:
                # Said once, on the form, next to the control it concerns.
                refusal_to_form(form, error, business)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(back)
        return TemplateResponse(
            request,
            "admin/customers/customer/receivable_form.html",
            self._page_context(
                request,
                title,
                customer=customer,
                form=form,
                submit_label=submit_label,
                back_url=back,
                profile_url=self._profile_url(customer),
                balance_text=money_text(customer.outstanding_balance, business),
                available_text=(
                    _("No limit")
                    if customer.available_credit is None
                    else money_text(customer.available_credit, business)
                ),
            ),
        )

    # -- the statement of account to print and hand over

    def _requested_statement(self, request, object_id) -> StatementOfAccount | HttpResponse:
        """The customer's statement for the days `?since=` and `?until=` (YYYY-MM-DD) ask
        for, or the page refusing dates it cannot read."""
        customer = self._scoped_customer(request, object_id)
        dates = StatementRangeForm(request.GET)
        if not dates.is_valid():
            return refusal_page(400, _("Dates not understood"), dates.refusal())
        return statement_of_account(
            customer=customer,
            since=dates.cleaned_data.get("since"),
            until=dates.cleaned_data.get("until"),
        )

    def statement_view(self, request, object_id):
        """The printable A4 statement, with a bar that picks another period."""
        statement = self._requested_statement(request, object_id)
        if isinstance(statement, HttpResponse):
            return statement
        back_url = self._profile_url(statement.customer)
        page = statement_html(statement, back_url=back_url, choose_period=True)
        return HttpResponse(page, content_type="text/html; charset=utf-8")

    # -- the debtors report

    def _report_business(self, request) -> Business | None:
        """The staff member's business; a superuser picks one with `?business=`."""
        business = admin_business(request)
        if business is not None or not request.user.is_superuser:
            return business
        try:
            chosen = uuid.UUID(request.GET.get("business", ""))
        except ValueError:
            return None
        return Business.objects.filter(pk=chosen).first()

    def debtors_view(self, request):
        if not self.has_view_permission(request):
            raise Http404
        business = self._report_business(request)
        if business is None:
            return TemplateResponse(
                request,
                "admin/customers/customer/debtors.html",
                self._page_context(
                    request, _("Debtors"), businesses=Business.objects.order_by("name")
                ),
            )
        clock = report_clock(business=business)
        queryset = debtors_report(business=business, clock=clock)
        filters = DebtorsFilterForm(request.GET or None)
        filtered = False
        if filters.is_valid():
            if search := filters.cleaned_data["search"].strip():
                queryset = customer_search(
                    queryset=queryset, query=search, region=business.default_region
                )
                filtered = True
            if bucket := filters.cleaned_data["bucket"]:
                queryset = debtors_in_bucket(queryset, bucket=bucket)
                filtered = True
        totals = debtors_totals(queryset, clock=clock, unfiltered=not filtered)
        # Counted with the totals (kept on the summary row when unfiltered), not again.
        paginator = CountedPaginator(queryset, DEBTORS_PER_PAGE, count=totals["customers"])
        page = paginator.get_page(request.GET.get("page"))
        here = request.get_full_path()
        rows = [
            {
                "customer": debtor,
                "profile_url": self._profile_url(debtor),
                "record_payment_url": reverse(
                    "admin:customers_customer_record_payment", args=[debtor.pk]
                )
                + "?"
                + _query(next=here),
                "owed_text": money_text(debtor.amount_owed, business),
                "owes": debtor.amount_owed > 0,
                "credit_text": money_text(-debtor.amount_owed, business),
                "days_since_payment": clock.days_since(debtor.last_payment_date),
                "buckets": [money_text(getattr(debtor, name), business) for name in BUCKETS],
            }
            for debtor in page.object_list
        ]
        query = {
            key: value
            for key, value in request.GET.items()
            if key in ("search", "bucket", "business") and value
        }
        return TemplateResponse(
            request,
            "admin/customers/customer/debtors.html",
            self._page_context(
                request,
                _("Debtors"),
                business=business,
                as_of=clock.today,
                filters=filters,
                rows=rows,
                page=page,
                paginator=paginator,
                page_query=_query(**query),
                bucket_labels=[BUCKET_LABELS[name] for name in BUCKETS],
                totals_text={
                    name: money_text(totals[name], business)
                    for name in ("owed", "credit_held", "amount_owed", *BUCKETS)
                },
                position_cards=position_cards(
                    ReceivablesPosition(owed=totals["owed"], credit_held=totals["credit_held"]),
                    business,
                ),
                totals_buckets=[money_text(totals[name], business) for name in BUCKETS],
                chart=ageing_chart_svg(totals, business),
                export_xlsx_url=reverse("admin:customers_customer_debtors_export")
                + "?"
                + _query(**query, format="xlsx"),
                export_csv_url=reverse("admin:customers_customer_debtors_export")
                + "?"
                + _query(**query, format="csv"),
                # The export is the API's own CSV, answered for a staff member's business.
                can_export=admin_business(request) is not None,
            ),
        )

    def debtors_export_view(self, request):
        """The API's `GET /customers/api/debtors/?format=xlsx` (or `csv`), byte for byte.

        The admin session authenticates the API call, and the API scopes it to the staff
        member's business, so the file is the one the API would give this user.
        """
        if not self.has_view_permission(request) or admin_business(request) is None:
            raise Http404
        _ask_for_a_spreadsheet(request)
        return DebtorViewSet.as_view({"get": "list"})(request)

    def statement_export_view(self, request, object_id):
        """The statement's days as a workbook (`?format=csv` for a CSV): the opening
        balance, every entry, the closing balance."""
        statement = self._requested_statement(request, object_id)
        if isinstance(statement, HttpResponse):
            return statement
        return spreadsheet_download(
            statement_sheet(statement),
            name=f"statement-{statement.since}-{statement.until}",
            as_csv=request.GET.get("format") == "csv",
        )


def _ask_for_a_spreadsheet(request) -> None:
    """A workbook unless the link asks for CSV; any other `format` is the API's 400."""
    request.GET = request.GET.copy()
    request.GET.setdefault("format", "xlsx")


def _query(**params) -> str:
    return urlencode(params)
