"""The till sessions list as a spreadsheet: the Z reports of the sessions it selects."""

from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from pos_project.actors import display_name
from pos_project.admin_exports import SpreadsheetExportMixin
from pos_project.money import ZERO


class ZReportsExport(SpreadsheetExportMixin):
    """For the till sessions' admin: each session's Z report, as it keeps its figures."""

    export_name = "z-reports"
    # A closed session's figures, as its Z report keeps them: (header, field).
    export_figures = (
        (gettext_lazy("Float"), "opening_float"),
        (gettext_lazy("Net sales"), "net_sales"),
        (gettext_lazy("Cash tendered"), "cash_tendered"),
        (gettext_lazy("Change given"), "change_given"),
        (pgettext_lazy("payment method", "Card"), "card_sales"),
        (pgettext_lazy("payment method", "Mobile money"), "mobile_money_sales"),
        (pgettext_lazy("payment method", "On account"), "on_account_sales"),
        (gettext_lazy("Debt payments in cash"), "debt_payments_cash"),
        (gettext_lazy("Debt payments by card"), "debt_payments_card"),
        (gettext_lazy("Debt payments by mobile money"), "debt_payments_mobile_money"),
        (gettext_lazy("Refunds in cash"), "refunds_cash"),
        (gettext_lazy("Refunds by card"), "refunds_card"),
        (gettext_lazy("Refunds by mobile money"), "refunds_mobile_money"),
        (gettext_lazy("Refunds on account"), "refunds_on_account"),
        (gettext_lazy("Pay-ins"), "pay_ins"),
        (gettext_lazy("Pay-outs"), "pay_outs"),
        (gettext_lazy("Expected cash"), "expected_cash"),
        (gettext_lazy("Counted cash"), "counted_cash"),
        (gettext_lazy("Variance"), "variance"),
    )

    @property
    def export_columns(self) -> tuple[str, ...]:
        """The header, in the reader's language."""
        return (
            gettext("Z report"),
            gettext("Till"),
            gettext("Storefront"),
            gettext("Status"),
            gettext("Opened"),
            gettext("Opened by"),
            gettext("Closed"),
            gettext("Closed by"),
            gettext("Sales"),
            gettext("Currency"),
            *(str(header) for header, _field in self.export_figures),
        )

    def export_queryset(self, queryset):
        return queryset.select_related("closed_by")

    def export_row(self, session) -> list:
        """A session's Z report; an open session has none yet, so only who and when."""
        zone = session.business.zone
        closed = not session.is_open
        return [
            session.z_number,
            session.till.name,
            session.till.storefront.name,
            session.get_status_display(),
            session.opened_at.astimezone(zone),
            display_name(session.opened_by),
            session.closed_at.astimezone(zone) if session.closed_at else None,
            display_name(session.closed_by) if session.closed_by_id else "",
            session.sales_count if closed else None,
            session.business.currency_code,
            *(getattr(session, field) if closed else None for _, field in self.export_figures),
        ]

    def export_totals(self, rows: list[list]) -> list:
        closed = [row for row in rows if row[0]]
        columns = self.export_columns
        totals = ["" for _column in columns]
        totals[0] = ngettext(
            "Total (%(count)d Z report)", "Total (%(count)d Z reports)", len(closed)
        ) % {"count": len(closed)}
        first = columns.index(gettext("Sales"))
        for index in range(first, len(columns)):
            if index == columns.index(gettext("Currency")):
                continue
            start = 0 if index == first else ZERO
            totals[index] = sum((row[index] for row in closed), start)
        return totals
