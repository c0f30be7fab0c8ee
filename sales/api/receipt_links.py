"""The printable receipt behind a sale's signed `receipt_url`, opened without a token.

A browser till prints with `window.open(receipt_url)`, which sends no Authorization
header: the signature in the link is the right to see that one receipt. A tampered link,
one naming no receipt, or an expired one is a plain page that shows nothing of any sale.
"""

from django.core import signing
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from pos_project.error_pages import refusal_page
from sales.receipt_links import ReceiptLinkExpired, receipt_from_link
from sales.receipts import receipt_html


@require_GET
def receipt_by_link(request, token: str) -> HttpResponse:
    try:
        sale = receipt_from_link(token)
    except ReceiptLinkExpired:
        return refusal_page(
            410,
            "This receipt link has expired",
            "Open the receipt again from the till: the sale gives a fresh link each time.",
        )
    except signing.BadSignature:
        return refusal_page(
            404,
            "This receipt link is not valid",
            "Check that the whole link was copied, or open the receipt again from the till.",
        )
    response = HttpResponse(receipt_html(sale), content_type="text/html; charset=utf-8")
    # Anyone holding the link may read it: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
