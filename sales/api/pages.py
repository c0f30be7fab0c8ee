"""Printable pages beside JSON: the renderer, the `?format=` parameter, and the view plumbing
that keeps errors JSON whatever format was asked for. Used by the receipt, the return slip
and the till reports."""

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from pos_project.errors import ErrorCode, Invalid
from pos_project.schema import error_responses


class ReceiptHTMLRenderer(BaseRenderer):
    """A printable page, already rendered (`sales.receipts`, `sales.return_receipts`,
    `sales.till_report`)."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else data


FORMAT_PARAMETER = OpenApiParameter(
    name="format",
    type=str,
    enum=["json", "html"],
    location=OpenApiParameter.QUERY,
    required=False,
    description="`html` for the printable 80 mm page; JSON otherwise.",
)


# For a viewset with a printable page: an unknown `?format=` and every error are JSON. (No
# docstring: the schema would show it as the description of the viewset's operations.)
class PrintablePagesMixin:
    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force=force)
        except Http404:
            # DRF answers an unknown ?format= with a bare 404; say what is accepted instead.
            raise Invalid(
                "Unknown format",
                gettext("Use ?format=json (the default), or ?format=html on the page."),
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


def page_action(*, url_path: str, summary: str, description: str):
    """An action that answers only the printable page (`text/html`), for a client generated
    from the schema: it reads one media type per answer, so the page that `?format=html`
    gives on the JSON operation is also an operation of its own. Errors are JSON."""

    def decorate(method):
        routed = action(
            detail=True,
            methods=["get"],
            url_path=url_path,
            url_name=url_path.replace("/", "-"),
            renderer_classes=[ReceiptHTMLRenderer],
            filter_backends=[],
            pagination_class=None,
        )(method)
        return extend_schema(
            summary=summary,
            description=f"{description} Errors are JSON.",
            responses={
                (200, "text/html"): OpenApiResponse(
                    OpenApiTypes.STR, description="The printable page, 80 mm wide."
                ),
                **error_responses(401, 403, 404, media_type=JSONRenderer.media_type),
            },
        )(routed)

    return decorate


def page_response(page: str) -> Response:
    return Response(page, content_type="text/html; charset=utf-8")
