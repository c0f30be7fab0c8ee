"""Signed links that open one printable page without a token: a sale's receipt, a return's
slip, a till report, a statement of account.

A browser front end prints with `window.open(url)`, which sends no Authorization header,
so the link itself carries the right. Each app says what its links name (`claims`) and
under which salt; the signing, the expiry and the refusal pages are the same for all.
"""

from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from pos_project.error_pages import refusal_page


class PageLinkExpired(Exception):
    """The link was genuine but is older than RECEIPT_LINK_MAX_AGE."""


def signed_page_link(url_name: str, salt: str, claims: dict, request=None) -> str:
    """A link that opens one printable page without a token, absolute when there is a request
    (a front end on another origin opens it as it is).

    A browser opens a page with `window.open`, which sends no Authorization header, so the
    link itself carries the right: `claims` (what the page shows, and the business it
    belongs to) signed with the project's key, valid for RECEIPT_LINK_MAX_AGE seconds.
    """
    path = reverse(url_name, kwargs={"token": signing.dumps(claims, salt=salt)})
    return request.build_absolute_uri(path) if request is not None else path


def page_link_claims(token: str, salt: str) -> dict:
    """What a link signed by `signed_page_link` names. BadSignature if it was tampered with,
    PageLinkExpired once it is too old."""
    try:
        claims = signing.loads(token, salt=salt, max_age=settings.RECEIPT_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise PageLinkExpired from None
    if not isinstance(claims, dict):
        raise signing.BadSignature("The link names nothing.")
    return claims


def page_by_link(token: str, page_of: Callable[[str], str], what: str) -> HttpResponse:
    """The page `page_of(token)` renders, or a bare refusal that shows nothing of it."""
    try:
        page = page_of(token)
    except PageLinkExpired:
        return refusal_page(
            410,
            _("This link to a %(page)s has expired") % {"page": what},
            _("Open the %(page)s again where you found it: each answer gives a fresh link.")
            % {"page": what},
        )
    except signing.BadSignature:
        return refusal_page(
            404,
            _("This link to a %(page)s is not valid") % {"page": what},
            _(
                "Check that the whole link was copied, or open the %(page)s again where you "
                "found it."
            )
            % {"page": what},
        )
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    # Anyone holding the link may read it: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
