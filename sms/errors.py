"""Errors of the SMS package."""

from core.errors import CollectBotError


class SmsError(CollectBotError):
    """Root of every SMS error."""


class GatewayError(SmsError):
    """The gateway refused the message or could not be reached."""


class TemplateError(SmsError):
    """A template that does not render: unknown or missing variables, bad syntax."""


class NotAllowedNow(SmsError):
    """The message may not be sent now (outside the window, or refused by the guard)."""

    def __init__(self, reasons: tuple[str, ...]) -> None:
        super().__init__("not allowed now: " + ", ".join(reasons))
        self.reasons = reasons
