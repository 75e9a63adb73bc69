"""Readiness of a worker's telephony right now: the models are loaded and the ARI event
websocket of the running ``Telephony`` is open (not merely: it was open once).

``collectbot serve`` and ``collectbot worker`` set ``models_loaded`` after ``load_speech`` and
``current`` to each ``Telephony`` they run (``None`` between runs); ``check`` is their
``telephony`` readiness check (``telemetry.health``, ``admin_api``'s ready checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from telemetry.health import NotReady


class AriLink(Protocol):
    def ari_connected(self) -> bool: ...


@dataclass
class TelephonyHealth:
    models_loaded: bool = False
    current: AriLink | None = None

    async def check(self) -> None:
        if not self.models_loaded:
            raise NotReady("models not loaded")
        if self.current is None or not self.current.ari_connected():
            raise NotReady("ARI not connected")
