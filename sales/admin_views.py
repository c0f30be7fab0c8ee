"""The sales back-office pages beyond the list and the form: cancelling a sale.

"Cancel sale" is a small form over `sales.services.sale_cancel`, the service the API's
`cancel` action calls: a completed sale is reversed only by a manager or the owner, with a
reason (stock returns, the on-account charge is reversed, statistics corrected, audited).
The sale is opened through the admin's business-scoped queryset, so another business's
sale is a 404.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pos_project.actors import Actor
from pos_project.admin_forms import OneTimeForm
from pos_project.errors import DomainError
from pos_project.money import ZERO, format_money
from sales.drawer_choice import add_drawer_field, chosen_drawer, drawer_refusal_words
from sales.models import PaymentMethod, Sale, SaleStatus
from sales.services import sale_cancel
from sales.services.cancellation import cash_kept
from sales.till_sessions import drawer_label

BACK_OFFICE_CSS = "customers/admin/back_office.css"

# The sale's page reads as a receipt does: the totals, then how it was paid ("tenders"),
# what is still due, what came back and, for a cancelled sale, when and why.
MONEY_FIELDS = ("subtotal", "discount_total", "total_amount", "amount_due", "returned_total")
TIME_FIELDS = ("created_at", "completed_at", "cancelled_at")
CANCELLATION_FIELDS = ("cancelled_at", "cancel_reason")


MONEY_LABELS = {"amount_due": _("still due"), "returned_total": _("returned")}


def _money_display(name: str):
    field = Sale._meta.get_field(name)

    @admin.display(description=MONEY_LABELS.get(name, field.verbose_name))
    def show(self, sale):
        return format_money(getattr(sale, name), sale.business.currency_symbol)

    return show


def _time_display(name: str):
    field = Sale._meta.get_field(name)

    @admin.display(description=field.verbose_name)
    def show(self, sale):
        moment = getattr(sale, name)
        if moment is None:
            return "-"
        return date_format(timezone.localtime(moment, sale.business.zone), "DATETIME_FORMAT")

    return show


def money_back_words(sale: Sale) -> list[str]:
    """What the manager must still do by hand after cancelling a completed sale: give back
    what was taken in cash, card or mobile money. The on-account part is taken off the
    customer's account by the cancellation itself."""
    symbol = sale.business.currency_symbol
    by_method: dict[str, Decimal] = {}
    for payment in sale.payments.all():
        by_method[payment.method] = by_method.get(payment.method, ZERO) + payment.amount
    by_method[PaymentMethod.CASH] = cash_kept(sale)
    words = []
    drawer = sale.cancellation_till_session
    cash_words = (
        _("Give %(amount)s back to the customer in cash from the drawer of %(drawer)s.")
        if drawer
        else _("Give %(amount)s back to the customer in cash.")
    )
    for method, sentence in (
        (PaymentMethod.CASH, cash_words),
        (PaymentMethod.CARD, _("Give %(amount)s back to the customer to their card.")),
        (PaymentMethod.MOBILE_MONEY, _("Give %(amount)s back to the customer by mobile money.")),
    ):
        if by_method.get(method, ZERO) > 0:
            words.append(
                str(sentence)
                % {
                    "amount": format_money(by_method[method], symbol),
                    "drawer": drawer_label(drawer) if drawer else "",
                }
            )
    if by_method.get(PaymentMethod.ON_ACCOUNT, ZERO) > 0:
        words.append(
            gettext("The %(amount)s charged to their account was taken off it.")
            % {"amount": format_money(by_method[PaymentMethod.ON_ACCOUNT], symbol)}
        )
    return words


class CancelSaleForm(OneTimeForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 50}),
        help_text=_("Kept on the sale and in the audit log."),
    )


class SaleBackOfficeViews:
    """Mixed into SaleAdmin: the "Cancel sale" page and the buttons on the sale's page.

    On the sale's page, amounts read in the business's currency and times in its time
    zone, as on the receipt: each such field is shown through a display method.
    """

    subtotal_shown = _money_display("subtotal")
    discount_total_shown = _money_display("discount_total")
    total_amount_shown = _money_display("total_amount")
    amount_due_shown = _money_display("amount_due")
    returned_total_shown = _money_display("returned_total")
    created_at_shown = _time_display("created_at")
    completed_at_shown = _time_display("completed_at")
    cancelled_at_shown = _time_display("cancelled_at")

    def get_fields(self, request, obj=None):
        shown = (*MONEY_FIELDS, *TIME_FIELDS)
        cancelled = obj is not None and obj.status == SaleStatus.CANCELLED
        return [
            f"{name}_shown" if name in shown else name
            for name in super().get_fields(request, obj)
            if cancelled or name not in CANCELLATION_FIELDS
        ]

    @admin.display(description=_("paid by"))
    def tenders(self, sale):
        """Each tender by method, with the change given on cash: how the total was paid."""
        symbol = sale.business.currency_symbol
        by_method: dict[str, Decimal] = {}
        for payment in sale.payments.all():
            by_method[payment.method] = by_method.get(payment.method, ZERO) + payment.amount
        if not by_method:
            return "-"
        lines = []
        for method, label in PaymentMethod.choices:
            if method not in by_method:
                continue
            amount = format_money(by_method[method], symbol)
            text = gettext("%(method)s: %(amount)s") % {"method": label, "amount": amount}
            if method == PaymentMethod.CASH and sale.change_due:
                text = gettext("%(method)s: %(amount)s (change given %(change)s)") % {
                    "method": label,
                    "amount": amount,
                    "change": format_money(sale.change_due, symbol),
                }
            if method == PaymentMethod.ON_ACCOUNT:
                text = gettext("Charged to account: %(amount)s") % {"amount": amount}
            lines.append((text,))
        return format_html_join(mark_safe("<br>"), "{}", lines)

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="sales_sale_cancel",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change:
            context.update(
                sale=obj,
                can_cancel=obj.status != SaleStatus.CANCELLED
                and obj.returned_total == 0
                and Actor.from_request(request).is_manager,
                cancel_url=reverse("admin:sales_sale_cancel", args=[obj.pk]),
                receipt_url=(
                    reverse("admin:sales_sale_receipt", args=[obj.pk])
                    if obj.receipt_number
                    else None
                ),
                audit_url=reverse("admin:audit_auditlog_changelist") + f"?sale={obj.pk}",
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def cancel_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise Http404
        sale = self.get_queryset(request).filter(pk=object_id).first()
        if sale is None:
            raise Http404(gettext("No such sale."))
        sale_url = reverse("admin:sales_sale_change", args=[sale.pk])
        actor = Actor.from_request(request)
        form = CancelSaleForm(request.POST or None)
        if sale.status == SaleStatus.COMPLETED and cash_kept(sale) > 0:
            # The cash the sale kept comes out of a drawer at its storefront.
            add_drawer_field(
                form,
                user=request.user,
                business=sale.business,
                storefront=sale.storefront,
                into=False,
            )

        def cancel() -> str:
            was_completed = sale.status == SaleStatus.COMPLETED
            cancelled = sale_cancel(
                sale=sale,
                reason=form.cleaned_data["reason"],
                actor=actor,
                drawer=chosen_drawer(form),
            )
            done = gettext("Sale %(sale)s cancelled: %(reason)s.") % {
                "sale": sale,
                "reason": form.cleaned_data["reason"],
            }
            if not was_completed:
                return done
            return " ".join([done, *money_back_words(cancelled)])

        # Explained below with a redirect, unless a submit of this very form did it.
        refused_outright = sale.status == SaleStatus.CANCELLED or (
            sale.status == SaleStatus.COMPLETED and not actor.is_manager
        )
        # A form submitted again goes to the service first: the first submit's result.
        if request.method == "POST" and form.is_valid():
            try:
                cancelled = form.submit_once(request, business=sale.business, work=cancel)
            except DomainError as error:
                if not refused_outright:
                    # Said once, on the form.
                    form.add_error(
                        None, drawer_refusal_words(error, sale.business) or error.message
                    )
            else:
                messages.success(request, cancelled)
                return HttpResponseRedirect(sale_url)
        if sale.status == SaleStatus.CANCELLED:
            messages.error(
                request,
                gettext("Sale %(sale)s is already cancelled; it never changes again.")
                % {"sale": sale},
            )
            return HttpResponseRedirect(sale_url)
        if sale.status == SaleStatus.COMPLETED and not actor.is_manager:
            messages.error(
                request, gettext("Only a manager or the owner may cancel a completed sale.")
            )
            return HttpResponseRedirect(sale_url)
        symbol = sale.business.currency_symbol
        return TemplateResponse(
            request,
            "admin/sales/sale/cancel.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Cancel sale %(sale)s") % {"sale": sale},
                "sale": sale,
                "sale_url": sale_url,
                "form": form,
                "total_text": format_money(sale.total_amount, symbol),
                "on_account_text": (
                    format_money(sale.on_account_amount, symbol) if sale.on_account_amount else ""
                ),
                "is_completed": sale.status == SaleStatus.COMPLETED,
                "back_office_css": BACK_OFFICE_CSS,
            },
        )
