"""A till session's report: the X report while it is open, the Z report once closed. One set
of facts, shown as JSON to the POS, as a printable 80 mm page (the receipt's look) and in
the back office.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pos_project.actors import display_name
from pos_project.money import format_money
from pos_project.printed_pages import printed_page
from sales.models import TillSession
from sales.services.tills import till_session_report_totals

# What a blind report leaves out (null): every term the drawer's expected cash is made of,
# and the sales amounts, from which cash taken follows once the non-cash tenders are known.
# The count of sales and the non-cash tenders stay. Dotted names reach into a group.
BLIND_FIELDS = (
    "opening_float",
    "sales.gross",
    "sales.discounts",
    "sales.net",
    "tenders.cash",
    "change_given",
    "debt_payments.cash",
    "refunds.cash",
    "pay_ins",
    "pay_outs",
    "expected_cash",
)


def till_report_is_blind(session: TillSession, *, show_expected: bool) -> bool:
    """Whether a viewer who may (`show_expected`) or may not see expected cash sees this
    session blind: only while it is open, until the count."""
    return session.is_open and not show_expected


def till_report_data(session: TillSession, *, show_expected: bool = True) -> dict:
    """The report of `session`, amounts as Decimals.

    `show_expected=False` is the blind count: while the session is open, a cashier is not
    shown the cash the drawer should hold, nor anything it could be added up from
    (`BLIND_FIELDS` are None), so the count at close is honest. Once closed, everyone sees
    every figure, expected cash and the variance.
    """
    totals = till_session_report_totals(session)
    business = session.business
    zone = business.zone
    blind = till_report_is_blind(session, show_expected=show_expected)
    report = {
        "session": session.pk,
        "kind": "X" if session.is_open else "Z",
        "status": session.status,
        "z_number": session.z_number or None,
        "business": {"id": business.pk, "name": business.name},
        "till": {"id": session.till.pk, "name": session.till.name},
        "storefront": {"id": session.till.storefront.pk, "name": session.till.storefront.name},
        "cashier": display_name(session.opened_by),
        "closed_by": display_name(session.closed_by) if session.closed_by_id else None,
        "opened_at": timezone.localtime(session.opened_at, zone),
        "closed_at": timezone.localtime(session.closed_at, zone) if session.closed_at else None,
        "time_zone": business.time_zone,
        "currency": business.currency_code,
        "currency_symbol": business.currency_symbol,
        "opening_float": session.opening_float,
        "sales": {
            "count": totals.sales_count,
            "gross": totals.gross_sales,
            "discounts": totals.discounts,
            "net": totals.net_sales,
        },
        "tenders": {
            "cash": totals.cash_tendered,
            "card": totals.card_sales,
            "mobile_money": totals.mobile_money_sales,
            "on_account": totals.on_account_sales,
        },
        "change_given": totals.change_given,
        "debt_payments": {
            "cash": totals.debt_payments_cash,
            "card": totals.debt_payments_card,
            "mobile_money": totals.debt_payments_mobile_money,
        },
        "refunds": {
            "cash": totals.refunds_cash,
            "card": totals.refunds_card,
            "mobile_money": totals.refunds_mobile_money,
            "on_account": totals.refunds_on_account,
        },
        "pay_ins": totals.pay_ins,
        "pay_outs": totals.pay_outs,
        "blind": blind,
        "expected_cash": totals.expected_cash,
        "counted_cash": session.counted_cash,
        "variance": session.variance,
        "closing_note": session.closing_note,
    }
    if blind:
        for name in BLIND_FIELDS:
            *groups, field = name.split(".")
            target = report
            for group in groups:
                target = target[group]
            target[field] = None
    return report


@printed_page
def till_report_html(session: TillSession, *, show_expected: bool = True) -> str:
    """The report as a self-contained page, 80 mm wide, for the till's printer."""
    data = till_report_data(session, show_expected=show_expected)
    symbol = data["currency_symbol"]

    def money(amount):
        return format_money(amount, symbol) if amount is not None else "-"

    def taken_out(amount):
        return f"-{money(amount)}" if amount is not None else "-"

    def rows(group: dict, labels: dict) -> list[dict]:
        return [{"label": labels[key], "amount_text": money(group[key])} for key in labels]

    methods = {
        "cash": pgettext("payment method", "Cash"),
        "card": pgettext("payment method", "Card"),
        "mobile_money": pgettext("payment method", "Mobile money"),
    }
    tenders = {**methods, "on_account": pgettext("payment method", "On account")}
    context = {
        **data,
        "title": (
            _("Z report %(z_number)s") % {"z_number": data["z_number"]}
            if data["kind"] == "Z"
            else _("X report (session open)")
        ),
        # Formatted here, in the shop's zone: the template's date filter would convert back
        # to the server's zone.
        "opened_text": date_format(data["opened_at"], "DATETIME_FORMAT"),
        "closed_text": (
            date_format(data["closed_at"], "DATETIME_FORMAT") if data["closed_at"] else ""
        ),
        "float_text": money(data["opening_float"]),
        "sales_rows": [
            {"label": _("Sales"), "amount_text": str(data["sales"]["count"])},
            {"label": _("Gross"), "amount_text": money(data["sales"]["gross"])},
            {"label": _("Discounts"), "amount_text": money(data["sales"]["discounts"])},
            {"label": _("Net"), "amount_text": money(data["sales"]["net"])},
        ],
        "tender_rows": rows(data["tenders"], tenders),
        "change_text": taken_out(data["change_given"]),
        "debt_rows": rows(data["debt_payments"], methods),
        # What came off what is owed is its own line, as in the day's takings: no cash moved.
        "refund_rows": rows(data["refunds"], tenders),
        "pay_ins_text": money(data["pay_ins"]),
        "pay_outs_text": taken_out(data["pay_outs"]),
        "expected_text": money(data["expected_cash"]),
        "counted_text": money(data["counted_cash"]),
        "variance_text": money(data["variance"]),
    }
    return render_to_string("sales/till_report.html", context)
