"""Request-wide guards: the size of a body, and the back office's time zone."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone

from pos_project.exceptions import RequestBodyTooLarge, body_too_large
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
