"""Request-wide guards: the size of a body, the API's paths, and the back office's time zone
and language."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path
from django.utils import timezone, translation

from pos_project.error_pages import is_api_path, not_found, permission_denied, server_error
from pos_project.exceptions import RequestBodyTooLarge, body_too_large
from pos_project.languages import api_language, use_language
from pos_project.permissions import staff_of


class BoundedBody:
    """A request body stream that refuses to yield more than `limit` bytes in total.

    `Content-Length` is checked before anything reads the body; this covers a server that
    hands over a stream whose length was absent or wrong.
    """

    def __init__(self, stream, limit: int):
        self._stream = stream
        self._limit = limit
        self._read = 0

    def _count(self, chunk: bytes) -> bytes:
        self._read += len(chunk)
        if self._read > self._limit:
            raise RequestBodyTooLarge(self._limit)
        return chunk

    def read(self, size: int = -1) -> bytes:
        # Never asks for more than one byte past the limit, so an endless stream stops there.
        room = self._limit + 1 - self._read
        return self._count(self._stream.read(room if size is None or size < 0 else min(size, room)))

    def readline(self, size: int = -1) -> bytes:
        room = self._limit + 1 - self._read
        return self._count(
            self._stream.readline(room if size is None or size < 0 else min(size, room))
        )

    def close(self) -> None:
        # Django closes the stream once it has read a form body (`request.body`).
        self._stream.close()


class RequestBodyLimitMiddleware:
    """Answers 413 to a body over `MAX_REQUEST_BODY_BYTES`, before authentication or parsing.

    DRF reads the body stream itself, so Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` never
    applies to the API.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return JsonResponse(body_too_large(limit), status=413)
        request._stream = BoundedBody(request._stream, limit)
        return self.get_response(request)


logger = logging.getLogger(__name__)


class ApiPathMiddleware:
    """The API's paths answer alike with and without their trailing slash, and always in JSON.

    `POST /sales/api/sales` is routed as `/sales/api/sales/` in place. Django's APPEND_SLASH
    would redirect it instead, which a browser does not follow for a preflighted request,
    and which with DEBUG on is a RuntimeError (a 500 page) for a POST. An API path that
    names nothing is the JSON 404 here, and what a view outside DRF raises the JSON error,
    where DEBUG would otherwise answer with Django's HTML debug pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path_info = request.path_info
        if not is_api_path(path_info):
            return self.get_response(request)
        urlconf = getattr(request, "urlconf", None)
        if not is_valid_path(path_info, urlconf):
            with_slash = f"{path_info}/"
            if path_info.endswith("/") or not is_valid_path(with_slash, urlconf):
                return not_found(request)
            # `path` is the script name followed by `path_info`.
            request.path = request.path[: len(request.path) - len(path_info)] + with_slash
            request.path_info = with_slash
            request.META["PATH_INFO"] = with_slash
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_api_path(request.path_info):
            return None
        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        logger.error("Unhandled error on %s", request.path, exc_info=exception)
        return server_error(request)


class BusinessTimeZoneMiddleware:
    """Activates the staff member's business time zone for the admin.

    Times are stored in UTC; a manager in Casablanca reads "23:30", not "22:30". The API
    keeps UTC (clients localise), so only admin pages pay for the staff lookup.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        staff = staff_of(request.user) if request.path.startswith("/admin/") else None
        if staff is not None:
            timezone.activate(staff.business.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RequestLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (a visitor's language from the switcher's cookie or the
    browser, `Content-Language` and `Vary: Accept-Language` on the answer), which then puts
    back the language active before the request: Django leaves it active on the thread, and
    the next thing the thread does (a command's output, a test's own assertions) would
    otherwise speak the last request's language."""

    def __call__(self, request):
        before = translation.get_language()
        try:
            return super().__call__(request)
        finally:
            translation.activate(before)


class StaffLanguageMiddleware:
    """A logged-in staff member's language, for the back office and the browsable API
    (pos_project.languages says who chooses)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        staff = staff_of(request.user)
        if is_api_path(request.path_info):
            use_language(request, api_language(request, staff))
        elif staff is not None:
            use_language(request, staff.reading_language)
        return self.get_response(request)
