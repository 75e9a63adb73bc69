"""A small typed asyncio client for the Asterisk REST Interface (httpx + websockets)."""

from ivr.ari.client import AriClient
from ivr.ari.dispatch import OrderedDispatcher
from ivr.ari.events import AriEventStream, ResyncReport
from ivr.ari.models import (
    AriEvent,
    Bridge,
    Channel,
    ExternalMediaChannel,
    LiveRecording,
    Playback,
    StoredRecording,
)

__all__ = [
    "AriClient",
    "AriEvent",
    "AriEventStream",
    "Bridge",
    "Channel",
    "ExternalMediaChannel",
    "LiveRecording",
    "OrderedDispatcher",
    "Playback",
    "ResyncReport",
    "StoredRecording",
]
