"""The printable pages behind the sales' signed links (`receipt_url`, `slip_url`,
`report_url`), opened without a token (pos_project.page_links).

A browser till prints with `window.open(url)`, which sends no Authorization header: the
signature in the link is the right to see that one page. A tampered link, one naming
nothing, or an expired one is a plain page that shows nothing of any sale.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from pos_project.page_links import page_by_link
from pos_project.printed_pages import language_from_link
from sales.receipt_links import (
    receipt_from_link,
    return_slip_from_link,
    till_report_from_link,
)
from sales.receipts import receipt_html
from sales.return_receipts import return_receipt_html
from sales.till_report import till_report_html


@require_GET
@language_from_link
def receipt_by_link(request, token: str) -> HttpResponse:
    return page_by_link(token, lambda token: receipt_html(receipt_from_link(token)), "receipt")


@require_GET
@language_from_link
def return_slip_by_link(request, token: str) -> HttpResponse:
    return page_by_link(
        token, lambda token: return_receipt_html(return_slip_from_link(token)), "return slip"
    )


def _till_report_page(token: str) -> str:
    session, show_expected = till_report_from_link(token)
    return till_report_html(session, show_expected=show_expected)


@require_GET
@language_from_link
def till_report_by_link(request, token: str) -> HttpResponse:
    return page_by_link(token, _till_report_page, "till report")
