"""Errors raised by the dialer."""

from core.errors import CollectBotError


class DialerError(CollectBotError):
    """Root of every dialer error."""


class QueueUnavailable(DialerError):
    """Redis cannot be reached; nothing was lost (the database ledger is the system of record)."""
