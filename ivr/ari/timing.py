"""Where an ARI request's time goes: waiting for a pooled connection, opening one, the answer.

Each request carries an httpcore ``trace`` callback (``RequestTrace``) that notes the phase it
is in and how long connecting and the answer took. ``RequestTimings`` adds them up; the client
logs the sums (``ari.requests``) about once a minute and, for a request that timed out, the
phase it was in (``ari.request_timed_out``): ``pool`` (no connection free yet), ``connect``
(the TCP connection to Asterisk not made: the request never left), ``send`` or ``response``
(sent: Asterisk may carry it out late).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Phase = Literal["pool", "connect", "send", "response", "body"]

_PHASE_OF = {
    "connection.connect_tcp.started": "connect",
    "http11.send_request_headers.started": "send",
    "http11.receive_response_headers.started": "response",
    "http11.receive_response_body.started": "body",
}  # (a request cancelled mid-way is closed with its phase unchanged)


@dataclass
class RequestTrace:
    """One request's phases, fed by httpcore's ``trace`` extension (awaited by httpcore's async
    connection pool: a plain function is refused there)."""

    started: float = field(default_factory=time.monotonic)
    phase: Phase = "pool"
    opened_connection: bool = False
    cancelled: bool = False  # by its caller, mid-way: httpcore closes its connection
    connect_s: float | None = None
    response_s: float | None = None  # headers sent -> the answer's headers
    _mark: float = 0.0

    async def __call__(self, name: str, info: object) -> None:
        now = time.monotonic()
        phase = _PHASE_OF.get(name)
        if phase is not None:
            self.phase = phase  # type: ignore[assignment]
        if name == "connection.connect_tcp.started":
            self.opened_connection, self._mark = True, now
        elif name == "connection.connect_tcp.complete":
            self.connect_s = now - self._mark
        elif name == "http11.receive_response_headers.started":
            self._mark = now
        elif name == "http11.receive_response_headers.complete":
            self.response_s = now - self._mark


@dataclass
class RequestTimings:
    """Sums over the requests since the last ``take``."""

    requests: int = 0
    connections_opened: int = 0
    cancelled: int = 0
    connect_s: list[float] = field(default_factory=list)
    response_s: list[float] = field(default_factory=list)
    timeouts: Counter[str] = field(default_factory=Counter)
    since: float = field(default_factory=time.monotonic)

    def add(self, trace: RequestTrace, *, timed_out: bool) -> None:
        self.requests += 1
        self.connections_opened += trace.opened_connection
        self.cancelled += trace.cancelled and trace.phase != "pool"
        if trace.connect_s is not None:
            self.connect_s.append(trace.connect_s)
        if trace.response_s is not None:
            self.response_s.append(trace.response_s)
        if timed_out:
            self.timeouts[trace.phase] += 1

    def due(self, every_s: float) -> bool:
        return self.requests > 0 and time.monotonic() - self.since >= every_s

    def take(self) -> dict[str, object]:
        """The sums as log fields (milliseconds), and a fresh start."""
        fields: dict[str, object] = {
            "requests": self.requests,
            "connections_opened": self.connections_opened,
            "cancelled": self.cancelled,
            "connect_ms": _spread(self.connect_s),
            "response_ms": _spread(self.response_s),
            "timeouts": dict(self.timeouts),
            "over_s": round(time.monotonic() - self.since, 1),
        }
        self.requests = self.connections_opened = self.cancelled = 0
        self.connect_s, self.response_s, self.timeouts = [], [], Counter()
        self.since = time.monotonic()
        return fields


def _spread(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {}
    ordered = sorted(seconds)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"p50": at(0.5), "p95": at(0.95), "max": round(ordered[-1] * 1000, 1)}
