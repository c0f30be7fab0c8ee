"""Which sale a receipt shows, and the signed links that open one without a token.

Below the receivables: the statements link each sale to its receipt through here.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch
from django.urls import reverse

from sales.models import Payment, Sale, SaleItem


def receipt_queryset():
    """Everything a receipt shows, in a fixed number of queries whatever the lines."""
    return Sale.objects.select_related(
        "business", "storefront", "customer", "created_by"
    ).prefetch_related(
        Prefetch("items", queryset=SaleItem.objects.order_by("created_at", "id")),
        Prefetch("payments", queryset=Payment.objects.order_by("created_at", "id")),
    )


# Keeps receipt links apart from anything else the project signs with the same key.
RECEIPT_LINK_SALT = "sales.receipt-link"


class ReceiptLinkExpired(Exception):
    """The link was genuine but is older than RECEIPT_LINK_MAX_AGE."""


def receipt_link_path(sale: Sale) -> str | None:
    """A path that opens this sale's printable receipt without a token, or None for a draft.

    A browser opens the receipt with `window.open`, which sends no Authorization header, so
    the link itself carries the right: signed with the project's key, tied to the sale and
    its business, and valid for RECEIPT_LINK_MAX_AGE seconds.
    """
    if sale.receipt_number is None:
        return None
    token = signing.dumps(
        {"sale": str(sale.pk), "business": str(sale.business_id)}, salt=RECEIPT_LINK_SALT
    )
    return reverse("sale-receipt-link", kwargs={"token": token})


def receipt_link_url(sale: Sale, request=None) -> str | None:
    """The sale's receipt link, absolute when there is a request: a front end on another
    origin opens it as it is."""
    path = receipt_link_path(sale)
    if path is None or request is None:
        return path
    return request.build_absolute_uri(path)


def receipt_from_link(token: str) -> Sale:
    """The sale a receipt link opens. BadSignature if it was tampered with (or names no
    sale), ReceiptLinkExpired once it is too old."""
    try:
        signed = signing.loads(token, salt=RECEIPT_LINK_SALT, max_age=settings.RECEIPT_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise ReceiptLinkExpired from None
    try:
        return receipt_queryset().get(pk=signed["sale"], business_id=signed["business"])
    except (Sale.DoesNotExist, KeyError, TypeError, ValueError):
        raise signing.BadSignature("The link names no receipt.") from None
