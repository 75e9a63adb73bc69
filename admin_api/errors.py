"""Errors of the admin API; ``app.py`` maps each to one HTTP status in a single handler."""

from core.errors import CollectBotError


class ApiError(CollectBotError):
    """Root of every admin-API error."""

    status_code = 400


class NotFound(ApiError):
    status_code = 404


class RefusedRead(NotFound):
    """A read of something that exists but is not the caller's: answered exactly like a
    missing one (404), and recorded in the audit log by the error handler."""

    def __init__(self, message: str, *, subject_type: str, subject_id: str) -> None:
        super().__init__(message)
        self.subject_type = subject_type
        self.subject_id = subject_id


class Conflict(ApiError):
    status_code = 409


class Unprocessable(ApiError):
    status_code = 422


class PayloadTooLarge(ApiError):
    status_code = 413


class TooManyAttempts(ApiError):
    status_code = 429


class NotAuthenticated(ApiError):
    status_code = 401


class Forbidden(ApiError):
    status_code = 403
