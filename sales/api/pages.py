"""Endpoints that answer JSON or a printable HTML page (receipts, till reports)."""

from django.http import Http404
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from pos_project.errors import ErrorCode, Invalid


class ReceiptHTMLRenderer(BaseRenderer):
    """A printable page, already rendered (`sales.receipts.receipt_html`,
    `sales.till_report.till_report_html`)."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else data


class PrintablePageMixin:
    """For a viewset with an action that answers `?format=html`: an unknown format is a
    400 saying what is accepted, and errors stay JSON whatever format was asked for."""

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force=force)
        except Http404:
            # DRF answers an unknown ?format= with a bare 404; say what is accepted instead.
            raise Invalid(
                "Unknown format",
                "Use ?format=json (the default), or ?format=html on the printable pages.",
                code=ErrorCode.UNKNOWN_FORMAT,
            ) from None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors are JSON even when the page was asked for, so every client reads the same
        # error body.
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response
