"""The till sessions list as a spreadsheet: the Z reports of the sessions it selects."""

from django.utils.translation import gettext_lazy, ngettext

from pos_project.actors import display_name
from pos_project.admin_exports import SpreadsheetExportMixin
from pos_project.money import ZERO


class ZReportsExport(SpreadsheetExportMixin):
    """For the till sessions' admin: each session's Z report, as it keeps its figures."""

    export_name = "z-reports"
    # A closed session's figures, as its Z report keeps them: (header, field).
    export_figures = (
        ("Float", "opening_float"),
        ("Net sales", "net_sales"),
        ("Cash tendered", "cash_tendered"),
        ("Change given", "change_given"),
        ("Card", "card_sales"),
        ("Mobile money", "mobile_money_sales"),
        ("On account", "on_account_sales"),
        ("Debt payments in cash", "debt_payments_cash"),
        ("Debt payments by card", "debt_payments_card"),
        ("Debt payments by mobile money", "debt_payments_mobile_money"),
        ("Refunds in cash", "refunds_cash"),
        ("Refunds by card", "refunds_card"),
        ("Refunds by mobile money", "refunds_mobile_money"),
        (gettext_lazy("Refunds on account"), "refunds_on_account"),
        ("Pay-ins", "pay_ins"),
        ("Pay-outs", "pay_outs"),
        ("Expected cash", "expected_cash"),
        ("Counted cash", "counted_cash"),
        ("Variance", "variance"),
    )
    export_columns = (
        "Z report",
        "Till",
        "Storefront",
        "Status",
        "Opened",
        "Opened by",
        "Closed",
        "Closed by",
        "Sales",
        "Currency",
        *(header for header, _ in export_figures),
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
        totals = ["" for _ in self.export_columns]
        totals[0] = ngettext(
            "Total (%(count)d Z report)", "Total (%(count)d Z reports)", len(closed)
        ) % {"count": len(closed)}
        first = self.export_columns.index("Sales")
        for index in range(first, len(self.export_columns)):
            if index == self.export_columns.index("Currency"):
                continue
            start = 0 if index == first else ZERO
            totals[index] = sum((row[index] for row in closed), start)
        return totals
