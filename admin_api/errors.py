"""Errors of the admin API; ``app.py`` maps each to one HTTP status in a single handler."""

from core.errors import CollectBotError


class ApiError(CollectBotError):
    """Root of every admin-API error."""

    status_code = 400


class NotFound(ApiError):
    status_code = 404


class Conflict(ApiError):
    status_code = 409


class Unprocessable(ApiError):
    status_code = 422


class TooManyAttempts(ApiError):
    status_code = 429


class NotAuthenticated(ApiError):
    status_code = 401


class Forbidden(ApiError):
    status_code = 403
