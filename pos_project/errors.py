"""What a service says when a business rule refuses a change.

Services raise one of the kinds below and know nothing of HTTP: the API's exception handler
(`pos_project.exceptions`) gives each kind its status, the back office shows the message and
a command prints it. `code` is a member of the app's own `ErrorCode` (`sales.errors`,
`receivables.errors`, ...), stable for clients; `error` and `message` are for people;
`details` are merged into the API's body.
"""

from enum import StrEnum

# Every app's codes, in the order their modules were imported; the schema lists them all.
ERROR_CODE_ENUMS: list[type[StrEnum]] = []


class ErrorCodes(StrEnum):
    """The base of each app's `ErrorCode`: subclassing it is all it takes to be listed."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        ERROR_CODE_ENUMS.append(cls)


def all_error_codes() -> list[str]:
    return sorted({str(code) for enum in ERROR_CODE_ENUMS for code in enum})


class ErrorCode(ErrorCodes):
    """The kernel's own codes: money, formats, idempotency, log-in and the caller's
    membership."""

    AMOUNT_TOO_LARGE = "amount_too_large"
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    IDEMPOTENCY_KEY_MISMATCH = "idempotency_key_mismatch"
    IDEMPOTENCY_REQUEST_IN_PROGRESS = "idempotency_request_in_progress"
    INVALID_CREDENTIALS = "invalid_credentials"
    NO_STAFF_MEMBERSHIP = "no_staff_membership"
    UNKNOWN_FORMAT = "unknown_format"
    LOCK_TIMEOUT = "lock_timeout"
    STATEMENT_TIMEOUT = "statement_timeout"
    DEADLOCK = "deadlock"


class DomainError(Exception):
    """A business rule refused a change. Raise one of its kinds, not this class itself.

    Bodies fixed word for word by a contract (seed 004) are raised with `code=None`, so the
    body is exactly theirs.
    """

    def __init__(self, error: str, message: str, *, code: StrEnum | str | None, **details):
        super().__init__(error)
        self.error = error
        self.message = message
        self.code = code
        self.details = details

    def body(self) -> dict:
        body = {"error": self.error}
        if self.code:
            body["code"] = str(self.code)
        body.update(self.details)
        body["message"] = self.message
        return body


class Invalid(DomainError):
    """The request is wrong in itself: a value, a field, a format."""


class Forbidden(DomainError):
    """The caller's role may not do this."""


class NotFound(DomainError):
    """What the request names does not exist in the caller's business."""


class Conflict(DomainError):
    """The request is well formed, but the records as they stand refuse it."""


class KeyReused(DomainError):
    """An idempotency key sent again with another request."""


class Busy(DomainError):
    """Another transaction holds the rows; the same request can be sent again."""


def invalid_field(
    field: str, message: str, *, code: StrEnum | str, error: str = "Invalid input", **details
) -> Invalid:
    """A refusal shaped like a validation error, so that clients find the culprit under
    `fields`."""
    return Invalid(error, message, code=code, fields={field: [message]}, **details)
