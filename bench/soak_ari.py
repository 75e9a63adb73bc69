"""The soak's ARI figures, read from the worker's log (``bench/soak.py``)."""

from __future__ import annotations

import json
from pathlib import Path


def ari_figures(log: Path) -> dict[str, object]:
    """The worker's ARI requests from its log: timed out (by phase and path: ``ari.request_timed
    _out``), and the sums of ``ari.requests`` (how many opened a new TCP connection, how long
    connecting and the answers took), and the originates that timed out and what became of
    them (``dialer.originate_timed_out``)."""
    timeouts: dict[str, int] = {}
    paths: dict[str, int] = {}
    requests = opened = 0
    connect_max = response_max = 0.0
    originates: dict[str, int] = {}
    for line in log.read_bytes().splitlines():
        if b'"ari.request' not in line and b'"dialer.originate_timed_out' not in line:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        name = event.get("event")
        if name == "ari.request_timed_out":
            phase = str(event.get("phase"))
            timeouts[phase] = timeouts.get(phase, 0) + 1
            key = f"{event.get('method')} {event.get('path')}"
            paths[key] = paths.get(key, 0) + 1
        elif name == "ari.requests":
            requests += int(event.get("requests", 0))
            opened += int(event.get("connections_opened", 0))
            connect_max = max(connect_max, float((event.get("connect_ms") or {}).get("max", 0)))
            response_max = max(response_max, float((event.get("response_ms") or {}).get("max", 0)))
        elif name == "dialer.originate_timed_out":
            verdict = str(event.get("carried_out"))
            originates[verdict] = originates.get(verdict, 0) + 1
    return {
        "timeouts": sum(timeouts.values()), "timeouts_by_phase": timeouts,
        "timeouts_by_path": paths, "requests": requests, "connections_opened": opened,
        "connect_ms_max": connect_max, "response_ms_max": response_max,
        "originates_timed_out": originates,
    }  # fmt: skip
