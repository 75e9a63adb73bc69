"""Errors raised by the IVR package (ARI client, media transport)."""

from __future__ import annotations

from core.errors import CollectBotError


class IvrError(CollectBotError):
    """Root of every IVR error."""


class AriError(IvrError):
    """An ARI request or the event websocket failed.

    ``retryable`` says whether repeating the same call later may succeed (network trouble,
    timeouts, 5xx); a 4xx answer (unknown channel, bad argument) is not retryable.
    """

    def __init__(self, message: str, *, status: int | None = None, retryable: bool) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class AriNotFound(AriError):
    """The channel, bridge, recording or playback does not exist (HTTP 404)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=404, retryable=False)


class AriTimeout(AriError):
    """An ARI request got no answer in time. Asterisk may have carried it out, or may never have
    seen it (a starved event loop, a connection that never came): asking again is the only way to
    know, and is harmless for a clean-up (what is already gone answers 404)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=True)


class MediaError(IvrError):
    """The RTP media transport failed (socket, malformed packet, bad audio)."""


class AlreadyWatched(IvrError):
    """A channel id is watched twice at once (a second originate of the same attempt)."""
