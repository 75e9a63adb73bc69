"""The demo's live table: the API's figures and the worker's gauges, one row each."""

from __future__ import annotations

import io
import time

import structlog
from prometheus_client import CollectorRegistry
from rich.console import Console

from cli.demo_progress import progress_table
from core.logging import configure_logging
from telemetry.metrics import Metrics


def _text(table: object) -> str:
    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(table)
    return out.getvalue()


def _rows(text: str) -> dict[str, str]:
    cells = [line.split("│") for line in text.splitlines() if line.count("│") == 3]
    return {c[1].strip(): c[2].strip() for c in cells}


def test_the_table_shows_calls_outcomes_and_the_workers_gauges() -> None:
    metrics = Metrics(CollectorRegistry())
    configure_logging(stream=io.StringIO(), observers=[metrics.observe])
    structlog.get_logger("t").info(
        "dialer.campaign_status", campaign_id="c1", lines_in_use=3, queue_depth=7,
        queue_lag_s=1.5, abandon_ratio=0.0,
    )  # fmt: skip
    figures = {
        "attempts": 9, "in_progress": 3,
        "outcomes": {"in_progress": 3, "promise_to_pay": 4, "wrong_number": 2},
    }  # fmt: skip
    text = _text(progress_table("c1", figures, 20, metrics, time.monotonic() - 42))
    rows = _rows(text)
    assert rows["placed"] == "9"
    assert rows["in progress"] == "3"
    assert rows["finished"] == "6 of 20"
    assert rows["lines in use (worker, every 5 s)"] == "3"
    assert rows["in the dial queue (every 5 s)"] == "7"
    assert rows["promise to pay"] == "4"
    assert rows["wrong number"] == "2"
    assert len(rows) == 7  # the figures' own "in_progress" outcome is not listed twice
    assert "the campaign after 42 s" in text


def test_before_the_worker_reports_the_gauges_show_a_dash() -> None:
    metrics = Metrics(CollectorRegistry())
    text = _text(progress_table("c2", {"attempts": 0, "in_progress": 0}, 5, metrics, 0.0))
    rows = _rows(text)
    assert rows["finished"] == "0 of 5"
    assert rows["lines in use (worker, every 5 s)"] == "-"
    assert rows["in the dial queue (every 5 s)"] == "-"
