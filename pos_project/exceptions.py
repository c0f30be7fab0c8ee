"""One error shape for the whole API.

Services raise the kinds of `pos_project.errors.DomainError`, which know no HTTP; DRF and
Django raise their own exceptions. The handler below gives each its status and turns all of
them into a JSON body with `error` (short) and `message` (what to do), plus details, so no
view builds an error dict by hand.
"""

import logging

import structlog
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pos_project import errors
from pos_project.database import busy_reason
from pos_project.permissions import staff_of

logger = logging.getLogger(__name__)
refusals = structlog.get_logger("pos.refusals")

BUSY_RETRY_AFTER_SECONDS = 2


# The status of each kind of refusal: the one place where the domain meets HTTP.
STATUS_OF_KIND = {
    errors.Invalid: status.HTTP_400_BAD_REQUEST,
    errors.Forbidden: status.HTTP_403_FORBIDDEN,
    errors.NotFound: status.HTTP_404_NOT_FOUND,
    errors.Conflict: status.HTTP_409_CONFLICT,
    errors.KeyReused: status.HTTP_422_UNPROCESSABLE_ENTITY,
    errors.Busy: status.HTTP_503_SERVICE_UNAVAILABLE,
}


def status_of(exc: errors.DomainError) -> int:
    return next(
        (code for kind, code in STATUS_OF_KIND.items() if isinstance(exc, kind)),
        status.HTTP_400_BAD_REQUEST,
    )


class RequestBodyTooLarge(RequestDataTooBig):
    """A body grew past the configured limit while it was read.

    A `RequestDataTooBig`, so that Django answers a page outside the API with a 400; the
    API's handler answers 413.
    """

    def __init__(self, limit: int):
        super().__init__(f"Request body over {limit} bytes.")
        self.limit = limit


# What the client should do about each of DRF's own errors.
_DRF_MESSAGES = {
    exceptions.NotAuthenticated: (
        "Authentication required",
        _(
            "Send 'Authorization: Token <key>' (or 'Bearer <key>'); get a key from "
            "POST /api/auth/token/."
        ),
    ),
    exceptions.AuthenticationFailed: (
        "Invalid token",
        _("The token is malformed, unknown or revoked. Log in again at POST /api/auth/token/."),
    ),
    exceptions.PermissionDenied: (
        "Permission denied",
        _("Your role does not allow this action. Ask a manager or the owner."),
    ),
    exceptions.NotFound: ("Not found", _("Check the id or address; it does not exist here.")),
    exceptions.MethodNotAllowed: (
        "Method not allowed",
        _("Use one of the methods listed in the Allow header."),
    ),
    exceptions.ParseError: ("Malformed request body", _("Send a valid JSON body.")),
    exceptions.UnsupportedMediaType: (
        "Unsupported media type",
        _("Send the body as application/json."),
    ),
    exceptions.NotAcceptable: (
        "Not acceptable",
        _("Ask for application/json (or the format the endpoint documents)."),
    ),
    exceptions.Throttled: ("Too many requests", _("Wait before trying again.")),
}


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def error_body(error: str, message: str, **details) -> dict:
    return {"error": error, **details, "message": message}


def body_too_large(limit: int) -> dict:
    return error_body(
        "Request body too large",
        gettext("Send at most %(limit)s bytes in one request.") % {"limit": limit},
        limit_bytes=limit,
    )


def busy_refusal(exc) -> errors.Busy | None:
    """A lock wait, deadlock or statement past its bound as the 503 a till can retry; None for
    any other error."""
    reason = busy_reason(exc)
    if reason is None:
        return None
    return errors.Busy(
        "Busy, try again",
        gettext(
            "Another till or the back office is working on the same records. Nothing was "
            "changed; send the same request again in a few seconds."
        ),
        code=reason,
    )


def api_exception_handler(exc, context):
    exc = busy_refusal(exc) or exc
    if isinstance(exc, errors.DomainError):
        status_code = status_of(exc)
        staff = staff_of(getattr(context.get("request"), "user", None))
        refusals.info(
            "refused",
            code=str(exc.code or "contract_error"),
            error=exc.error,
            status=status_code,
            business=str(staff.business_id) if staff else None,
        )
        response = Response(exc.body(), status=status_code)
        if isinstance(exc, errors.Busy):
            response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, RequestBodyTooLarge):
        return Response(body_too_large(exc.limit), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DataError):
        # Input the validation let through but the database cannot store (a value past a
        # column's size). The statement failed, so nothing was written.
        logger.warning("Database refused a value in %s: %s", context.get("view"), exc)
        return Response(
            error_body(
                "Value out of range",
                gettext(
                    "A value in the request is too large for this system to store. Send "
                    "smaller amounts or quantities."
                ),
            ),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        body = error_body(
            "Invalid input",
            gettext("Correct the fields listed in 'fields' and send the request again."),
            fields=fields,
        )
        return Response(body, status=exc.status_code)

    if isinstance(exc, exceptions.APIException):
        response = drf_exception_handler(exc, context)
        error, message = next(
            (texts for kind, texts in _DRF_MESSAGES.items() if isinstance(exc, kind)),
            ("Request failed", str(exc.detail)),
        )
        detail = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else None
        # DRF's own wording is often more specific ("No staff membership", "Invalid page.").
        if detail and detail not in (str(type(exc).default_detail),):
            message = detail
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            seconds = int(exc.wait) + 1
            message = ngettext(
                "Too many attempts. Try again in %(seconds)s second.",
                "Too many attempts. Try again in %(seconds)s seconds.",
                seconds,
            ) % {"seconds": seconds}
        response.data = error_body(error, message)
        return response

    logger.exception("Unhandled error in %s", context.get("view"))
    response = Response(
        error_body(
            "Internal error",
            gettext(
                "Something went wrong on our side and nothing was changed. Try again; if it "
                "keeps happening, contact support."
            ),
        ),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
    # Logged above with its traceback; Django's own line would say it again without one.
    response._has_been_logged = True
    return response


def json_not_found(request, exception=None):
    return JsonResponse(
        error_body("Not found", gettext("There is nothing at this address. See /api/docs/.")),
        status=404,
    )


def json_server_error(request):
    return JsonResponse(
        error_body(
            "Internal error",
            gettext("Something went wrong on our side and nothing was changed. Try again later."),
        ),
        status=500,
    )


def json_bad_request(request, exception=None):
    return JsonResponse(
        error_body("Bad request", gettext("The request could not be understood.")), status=400
    )


def json_permission_denied(request, exception=None):
    return JsonResponse(
        error_body("Permission denied", gettext("You may not open this page.")), status=403
    )
