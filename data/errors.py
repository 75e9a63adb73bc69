"""Errors raised by the data layer."""

from core.errors import CollectBotError


class DataError(CollectBotError):
    """Root of every data-layer error."""


class KeyringError(DataError):
    """The data key is missing, malformed, or cannot open a stored value."""


class AuditChainError(DataError):
    """The audit log's hash chain is broken."""
