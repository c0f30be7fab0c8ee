"""Which sale a receipt shows, and the signed links that open a printable page without a
token: a sale's receipt, a return's slip, a till session's report.

Below the receivables: the statements link each sale to its receipt, and sign their own
links, through here.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from pos_project.page_links import page_link_claims, signed_page_link
from sales.models import Payment, Return, Sale, SaleItem, TillSession


def receipt_queryset():
    """Everything a receipt shows, in a fixed number of queries whatever the lines."""
    return Sale.objects.select_related(
        "business", "storefront", "customer", "created_by"
    ).prefetch_related(
        Prefetch("items", queryset=SaleItem.objects.order_by("created_at", "id")),
        Prefetch("payments", queryset=Payment.objects.order_by("created_at", "id")),
    )


# Keep each kind of link apart from the others (pos_project.page_links).
RECEIPT_LINK_SALT = "sales.receipt-link"
RETURN_SLIP_LINK_SALT = "sales.return-slip-link"
TILL_REPORT_LINK_SALT = "sales.till-report-link"


def receipt_link_url(sale: Sale, request=None) -> str | None:
    """The link to this sale's printable receipt, or None for a draft, which has none."""
    if sale.receipt_number is None:
        return None
    claims = {"sale": str(sale.pk), "business": str(sale.business_id)}
    return signed_page_link("sale-receipt-link", RECEIPT_LINK_SALT, claims, request)


def receipt_from_link(token: str) -> Sale:
    """The sale a receipt link opens (BadSignature if it names no receipt)."""
    signed = page_link_claims(token, RECEIPT_LINK_SALT)
    try:
        return receipt_queryset().get(pk=signed["sale"], business_id=signed["business"])
    except (Sale.DoesNotExist, KeyError, TypeError, ValueError, ValidationError):
        raise signing.BadSignature("The link names no receipt.") from None


def return_slip_link_url(sale_return: Return, request=None) -> str:
    """The link to this return's printable slip."""
    claims = {"return": str(sale_return.pk), "business": str(sale_return.business_id)}
    return signed_page_link("return-slip-link", RETURN_SLIP_LINK_SALT, claims, request)


def return_slip_from_link(token: str) -> Return:
    """The return a slip link opens (BadSignature if it names none)."""
    signed = page_link_claims(token, RETURN_SLIP_LINK_SALT)
    try:
        return Return.objects.select_related("business", "sale").get(
            pk=signed["return"], business_id=signed["business"]
        )
    except (Return.DoesNotExist, KeyError, TypeError, ValueError, ValidationError):
        raise signing.BadSignature("The link names no return.") from None


def till_report_link_url(report: dict, request=None) -> str:
    """The link to the printable page of a till report (`sales.till_report.till_report_data`).

    It shows what the report it came with shows: a cashier's blind X report stays blind.
    """
    claims = {
        "session": str(report["session"]),
        "business": str(report["business"]["id"]),
        "show_expected": not report["blind"],
    }
    return signed_page_link("till-report-link", TILL_REPORT_LINK_SALT, claims, request)


def till_report_from_link(token: str) -> tuple[TillSession, bool]:
    """The session a report link opens, and whether its page shows expected cash
    (BadSignature if it names none)."""
    signed = page_link_claims(token, TILL_REPORT_LINK_SALT)
    try:
        session = TillSession.objects.select_related(
            "business", "till", "till__storefront", "opened_by", "closed_by"
        ).get(pk=signed["session"], business_id=signed["business"])
        return session, bool(signed["show_expected"])
    except (TillSession.DoesNotExist, KeyError, TypeError, ValueError, ValidationError):
        raise signing.BadSignature("The link names no till session.") from None
