"""The demo's live view of a running campaign: one table, redrawn in place while the calls go
on (calls placed, in progress, finished; lines in use and the dial queue from the process's
metrics; outcomes so far), instead of a line per poll. Not a terminal (CI, a pipe): the last
state is printed once at the end."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from rich.table import Table

from telemetry.metrics import Metrics


def _gauge(metrics: Metrics, name: str, campaign_id: str) -> str:
    value = metrics.registry.get_sample_value(name, {"campaign": campaign_id})
    return "-" if value is None else f"{value:g}"


def progress_table(
    campaign_id: str,
    figures: Mapping[str, Any],
    total: int,
    metrics: Metrics,
    started: float,
) -> Table:
    """The campaign now, from ``GET /campaigns/{id}/figures`` and the worker's gauges."""
    placed, in_progress = int(figures["attempts"]), int(figures["in_progress"])
    elapsed = time.monotonic() - started
    table = Table(title=f"the campaign after {elapsed:.0f} s", title_justify="left")
    table.add_column("calls")
    table.add_column("", justify="right")
    table.add_row("placed", str(placed))
    table.add_row("in progress", str(in_progress))
    table.add_row("finished", f"{placed - in_progress} of {total}")
    table.add_row(
        "lines in use (worker, every 5 s)",
        _gauge(metrics, "collectbot_dialer_lines_in_use", campaign_id),
    )
    table.add_row(
        "in the dial queue (every 5 s)", _gauge(metrics, "collectbot_dial_queue_depth", campaign_id)
    )
    outcomes = {k: v for k, v in figures.get("outcomes", {}).items() if k != "in_progress"}
    for outcome, count in sorted(outcomes.items()):
        table.add_row(f"  {outcome.replace('_', ' ')}", str(count))
    return table
