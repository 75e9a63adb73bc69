"""The log events feed the metrics; a metric never changes an event or raises."""

from __future__ import annotations

import io
import json

import structlog
from prometheus_client import CollectorRegistry

from core.logging import configure_logging
from telemetry.metrics import Metrics


def _value(metrics: Metrics, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


def _logged(metrics: Metrics) -> tuple[structlog.stdlib.BoundLogger, io.StringIO]:
    out = io.StringIO()
    configure_logging(stream=out, observers=[metrics.observe])
    logger: structlog.stdlib.BoundLogger = structlog.get_logger("test")
    return logger, out


def test_call_events_count_calls_by_outcome_and_hold_the_in_progress_gauge() -> None:
    metrics = Metrics(CollectorRegistry())
    log, _ = _logged(metrics)
    for _ in range(3):
        log.info("ivr.call_started", call_id="c")
    log.info("ivr.call_ended", call_id="c", outcome="promise_to_pay")
    log.info("call.end_recorded", attempt_id="a1", outcome="promise_to_pay")
    log.info("call.end_recorded", attempt_id="a2", outcome="wrong_number")
    log.info("call.end_recorded", attempt_id="a3", outcome="wrong_number")
    assert _value(metrics, "collectbot_calls_started_total") == 3
    assert _value(metrics, "collectbot_calls_in_progress") == 2
    assert _value(metrics, "collectbot_calls_ended_total", outcome="wrong_number") == 2
    assert _value(metrics, "collectbot_calls_ended_total", outcome="promise_to_pay") == 1


def test_each_refusal_reason_is_counted_once() -> None:
    metrics = Metrics(CollectorRegistry())
    log, _ = _logged(metrics)
    log.info("dialer.contact_refused", case_id="x", reasons=["outside_hours", "no_consent"])
    log.info("dialer.contact_refused", case_id="y", reasons=["outside_hours"])
    assert _value(metrics, "collectbot_guard_refusals_total", reason="outside_hours") == 2
    assert _value(metrics, "collectbot_guard_refusals_total", reason="no_consent") == 1


def test_turn_timings_land_in_the_histograms_per_language() -> None:
    metrics = Metrics(CollectorRegistry())
    log, _ = _logged(metrics)
    log.info("ivr.turn", language="zh", voice_to_voice_ms=640, processing_ms=210, asr_ms=150)
    log.info("ivr.turn", language="zh", voice_to_voice_ms=1240.5, processing_ms="n/a")
    count = "collectbot_turn_seconds_count"
    assert _value(metrics, count, language="zh", phase="voice_to_voice") == 2
    assert _value(metrics, count, language="zh", phase="processing") == 1  # "n/a" skipped
    total = _value(metrics, "collectbot_turn_seconds_sum", language="zh", phase="voice_to_voice")
    assert abs(total - 1.8805) < 1e-9
    assert _value(metrics, "collectbot_speech_seconds_count", stage="asr", language="zh") == 1
    # a turn under 0.8 s and one over it
    le = {"language": "zh", "phase": "voice_to_voice", "le": "0.8"}
    assert metrics.registry.get_sample_value("collectbot_turn_seconds_bucket", le) == 1


def test_errors_are_counted_by_event_and_odd_values_never_break_the_log() -> None:
    metrics = Metrics(CollectorRegistry())
    log, out = _logged(metrics)
    log.error("dialer.originate_failed", attempt_id="a", error="boom")
    log.info("dialer.contact_refused", case_id="x", reasons=None)  # malformed: still logged
    log.info("ivr.call_ended", call_id="never-started")
    log.info("call.end_recorded", outcome="x" * 500)
    assert _value(metrics, "collectbot_originate_failures_total") == 1
    assert _value(metrics, "collectbot_log_errors_total", event="dialer.originate_failed") == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["event"] for e in lines] == [
        "dialer.originate_failed",
        "dialer.contact_refused",
        "ivr.call_ended",
        "call.end_recorded",
    ]
    # labels are cut: a runaway value cannot make unbounded series
    exposed = metrics.exposition()[0].decode()
    assert "x" * 49 not in exposed


def test_personal_data_never_becomes_a_label() -> None:
    metrics = Metrics(CollectorRegistry())
    log, out = _logged(metrics)
    log.info("dialer.originate", attempt_id="a", case_id="c", **{"pii.phone": "+15550100"})
    exposed = metrics.exposition()[0].decode()
    assert "15550100" not in exposed
    assert "+15550100" not in out.getvalue()  # and the log still drops it
    assert _value(metrics, "collectbot_originates_total") == 1


def test_the_dashboard_and_the_docs_name_only_metrics_that_exist() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    suffixes = {
        "counter": ("_total",),
        "gauge": ("",),
        "histogram": ("", "_bucket", "_count", "_sum"),
    }
    known = {
        family.name + suffix
        for family in Metrics(CollectorRegistry()).registry.collect()
        for suffix in suffixes[family.type]
    }
    for doc in ("docs/grafana-dashboard.json", "docs/operations.md"):
        named = set(re.findall(r"collectbot_[a-z_]+", (root / doc).read_text(encoding="utf-8")))
        assert named, doc
        assert named <= known, (doc, named - known)


def test_campaign_status_sets_the_per_campaign_gauges_and_ignores_odd_values() -> None:
    metrics = Metrics(CollectorRegistry())
    log, _ = _logged(metrics)
    status = {"lines_in_use": 3, "queue_depth": 17, "queue_lag_s": 4.25, "abandon_ratio": 0.02}
    log.info("dialer.campaign_status", campaign_id="camp-a", **status)
    log.info("dialer.campaign_status", campaign_id="camp-b", **status | {"lines_in_use": 1})
    # a later report replaces the earlier one; a missing or nonsense value keeps the last good
    log.info(
        "dialer.campaign_status", campaign_id="camp-a", lines_in_use=0, queue_depth=-1,
        queue_lag_s=True, abandon_ratio="n/a",
    )  # fmt: skip
    assert _value(metrics, "collectbot_dialer_lines_in_use", campaign="camp-a") == 0
    assert _value(metrics, "collectbot_dialer_lines_in_use", campaign="camp-b") == 1
    assert _value(metrics, "collectbot_dial_queue_depth", campaign="camp-a") == 17
    assert _value(metrics, "collectbot_dial_queue_lag_seconds", campaign="camp-a") == 4.25
    assert _value(metrics, "collectbot_abandon_ratio", campaign="camp-a") == 0.02


def _families() -> dict[str, tuple[str, frozenset[str]]]:
    """Every family the code registers: name -> (type, label names)."""
    from prometheus_client.metrics import MetricWrapperBase

    out: dict[str, tuple[str, frozenset[str]]] = {}
    for metric in vars(Metrics(CollectorRegistry())).values():
        if isinstance(metric, MetricWrapperBase):
            (family,) = metric.describe()
            out[family.name] = (family.type, frozenset(getattr(metric, "_labelnames", ())))
    return out


def _dashboard_exprs() -> list[str]:
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    exprs: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "expr" and isinstance(value, str):
                    exprs.append(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((root / "docs/grafana-dashboard.json").read_text(encoding="utf-8")))
    return exprs


def test_the_dashboard_charts_every_family_with_labels_each_family_has() -> None:
    """Each panel's selectors and groupings name labels its metric has (a typo charts nothing,
    silently), and every family the workers and the API export is on some panel."""
    import re

    families = _families()
    suffix = re.compile(r"_(bucket|count|sum|total)$")
    charted: set[str] = set()
    exprs = _dashboard_exprs()
    assert exprs
    for expr in exprs:
        names = re.findall(r"(collectbot_[a-z_]+)(\{[^}]*\})?", expr)
        assert names, expr
        grouped = set(re.findall(r"by \(([^)]*)\)", expr))
        by = {label.strip() for group in grouped for label in group.split(",")}
        allowed: set[str] = {"le", "instance", "job"}
        for name, selector in names:
            family = name if name in families else suffix.sub("", name)
            assert family in families, (expr, name)
            charted.add(family)
            allowed |= families[family][1]
            for label in re.findall(r"(\w+)\s*(?:=~|!~|!=|=)", selector):
                assert label in families[family][1], (expr, label)
        assert by <= allowed, (expr, by - allowed)
    assert charted == set(families), set(families) - charted


def test_every_event_that_feeds_a_metric_is_logged_by_the_product() -> None:
    """A metric fed by an event nobody logs stays at zero for ever (``collectbot_sms_total``
    did: the SMS path logged nothing). Each event name must be logged as a literal by some
    module of the product's packages."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    sources = [
        p.read_text(encoding="utf-8")
        for package in ("admin_api", "ivr", "dialer", "sms", "data", "cli", "asr", "tts")
        for p in (root / package).rglob("*.py")
    ]
    for event in sorted(Metrics(CollectorRegistry()).events):
        call = re.compile(
            r"log\.(?:debug|info|warning|error|exception)\(\s*" + re.escape(f'"{event}"')
        )
        assert any(call.search(text) for text in sources), f"nobody logs {event}"
