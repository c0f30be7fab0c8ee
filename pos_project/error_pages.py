"""The answers to a missing page, a refusal or a crash: JSON for the API, a page for people.

A manager who mistypes a back-office address gets a page in the back office's look with a
way back; a till calling the API gets the error body it parses (`pos_project.exceptions`).
The page is rendered without the request's context, so even a crash that broke the
database or the session still gets one.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from pos_project.exceptions import (
    json_bad_request,
    json_not_found,
    json_permission_denied,
    json_server_error,
)

# Paths whose callers are programs: the API under each app's `api/`, and the probes.
MACHINE_PATHS = ("/healthz", "/metrics")


def is_api_path(path: str) -> bool:
    segments = [segment for segment in path.split("/") if segment]
    return "api" in segments[:2] or path.rstrip("/") in MACHINE_PATHS


def _page(status: int, title: str, message: str) -> HttpResponse:
    html = render_to_string(
        "error_page.html", {"status": status, "title": title, "message": message}
    )
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def refusal_page(status: int, title: str, message: str) -> HttpResponse:
    """A bare page for a link opened outside the back office (a receipt or statement link
    that expired or was mangled): it shows nothing of any sale or customer."""
    direction = "rtl" if get_language_bidi() else "ltr"
    page = (
        f'<!doctype html><html lang="{get_language()}" dir="{direction}">'
        f'<head><meta charset="utf-8"><title>{escape(title)}'
        f"</title></head><body><h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>"
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def not_found(request, exception=None):
    if is_api_path(request.path):
        return json_not_found(request, exception)
    return _page(
        404,
        _("Page not found"),
        _(
            "There is nothing at this address: it may have been mistyped, or what it showed "
            "was removed. Start again from the back office's home page."
        ),
    )


def permission_denied(request, exception=None):
    if is_api_path(request.path):
        return json_permission_denied(request, exception)
    return _page(
        403,
        _("Not allowed"),
        _(
            "Your account may not open this page. The back office is for managers and owners; "
            "ask one of them if you need it."
        ),
    )


def bad_request(request, exception=None):
    if is_api_path(request.path):
        return json_bad_request(request, exception)
    return _page(
        400,
        _("Something in the request was wrong"),
        _("The page could not understand what was sent. Go back and try again."),
    )


def server_error(request):
    if is_api_path(request.path):
        return json_server_error(request)
    return _page(
        500,
        _("Something went wrong"),
        _(
            "Something went wrong on our side and nothing was changed. Try again in a moment; "
            "if it keeps happening, tell whoever looks after the system."
        ),
    )
