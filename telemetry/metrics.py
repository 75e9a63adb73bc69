"""Prometheus metrics for the API and every worker, fed by the fixed log events.

Every package already logs what happens under fixed event names (``call.end_recorded``,
``dialer.contact_refused``, ``ivr.call_started`` …). ``Metrics.observe`` is a structlog processor
that turns those events into counters, gauges and histograms, so no package imports a metrics
library and a metric can never disagree with the log. It never raises and never changes the
event. Personal data never becomes a label: labels come from closed vocabularies only (outcomes,
refusal reasons, languages, route templates), cut to a bounded length.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)

# seconds; turn timings are a few hundred ms, API requests a few ms to seconds
TURN_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0, 5.0)
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_LABEL_MAX = 48
# the ``ivr.turn`` event's ``<name>_ms`` fields
TURN_PHASES = ("voice_to_voice", "processing")
SPEECH_STAGES = ("asr", "nlu", "tts_first_audio")

Handler = Callable[[Mapping[str, Any]], None]


def _label(value: object) -> str:
    text = str(value) if value is not None else "none"
    return text[:_LABEL_MAX] or "none"


def _ms(event: Mapping[str, Any], key: str) -> float | None:
    value = event.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value) / 1000
    return None


class Metrics:
    """The metric families of one process, in their own registry (tests make their own)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.calls_started = Counter(
            "collectbot_calls_started_total", "Calls the IVR answered", registry=r
        )
        self.calls_in_progress = Gauge(
            "collectbot_calls_in_progress", "Calls the IVR is holding now", registry=r
        )
        self.calls_ended = Counter(
            "collectbot_calls_ended_total", "Calls whose result was stored", ["outcome"], registry=r
        )
        self.originates = Counter(
            "collectbot_originates_total", "Calls the dialer placed", registry=r
        )
        self.originate_failures = Counter(
            "collectbot_originate_failures_total", "Originations that failed", registry=r
        )
        self.guard_refusals = Counter(
            "collectbot_guard_refusals_total",
            "Contacts the compliance guard refused",
            ["reason"],
            registry=r,
        )
        self.turn_seconds = Histogram(
            "collectbot_turn_seconds",
            "Per debtor turn: voice-to-voice and processing time",
            ["language", "phase"],
            buckets=TURN_BUCKETS,
            registry=r,
        )
        self.speech_seconds = Histogram(
            "collectbot_speech_seconds",
            "Time spent in one recogniser / synthesiser / parser call",
            ["stage", "language"],
            buckets=TURN_BUCKETS,
            registry=r,
        )
        # per campaign, from each worker's ``dialer.campaign_status`` (every DIALER_STATUS_EVERY_S)
        self.lines_in_use = Gauge(
            "collectbot_dialer_lines_in_use",
            "Calls this worker has placed and not yet ended",
            ["campaign"],
            registry=r,
        )
        self.queue_depth = Gauge(
            "collectbot_dial_queue_depth",
            "Entries in the campaign's dial stream, waiting or being worked on",
            ["campaign"],
            registry=r,
        )
        self.queue_lag = Gauge(
            "collectbot_dial_queue_lag_seconds",
            "Age of the oldest entry in the campaign's dial stream (0 when empty)",
            ["campaign"],
            registry=r,
        )
        self.abandon_ratio = Gauge(
            "collectbot_abandon_ratio",
            "Abandoned / answered calls of the campaign over 30 days (what pacing holds down)",
            ["campaign"],
            registry=r,
        )
        self.sms = Counter("collectbot_sms_total", "SMS by result", ["result"], registry=r)
        self.webhooks = Counter(
            "collectbot_webhooks_total", "Webhook deliveries by result", ["result"], registry=r
        )
        self.auth = Counter(
            "collectbot_auth_events_total", "Failed and rate-limited logins", ["event"], registry=r
        )
        self.audit_failures = Counter(
            "collectbot_audit_write_failures_total", "Audit records not written", registry=r
        )
        self.audit_lag = Histogram(
            "collectbot_audit_lag_seconds",
            "Per audit record: from its hand-off to the writer until its commit",
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.errors = Counter(
            "collectbot_log_errors_total", "Error events by name", ["event"], registry=r
        )
        self.requests = Histogram(
            "collectbot_api_request_seconds",
            "API requests by route template, method and status",
            ["route", "method", "status"],
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self._lock = threading.Lock()
        self._handlers: dict[str, Handler] = {
            "ivr.call_started": self._call_started,
            "ivr.call_ended": self._call_ended,
            "call.end_recorded": lambda e: self.calls_ended.labels(_label(e.get("outcome"))).inc(),
            "dialer.originate": lambda e: self.originates.inc(),
            "dialer.originate_failed": lambda e: self.originate_failures.inc(),
            "dialer.contact_refused": self._refused,
            "dialer.campaign_status": self._campaign_status,
            "ivr.turn": self._turn,
            "sms.sent": lambda e: self.sms.labels("sent").inc(),
            "sms.delivered": lambda e: self.sms.labels("delivered").inc(),
            "sms.failed": lambda e: self.sms.labels("failed").inc(),
            "webhook.delivered": lambda e: self.webhooks.labels("delivered").inc(),
            "webhook.failed": lambda e: self.webhooks.labels("failed").inc(),
            "auth.failed": lambda e: self.auth.labels("failed").inc(),
            "auth.rate_limited": lambda e: self.auth.labels("rate_limited").inc(),
            "audit.write_failed": lambda e: self.audit_failures.inc(),
            "audit.write_timeout": lambda e: self.audit_failures.inc(),
        }

    @property
    def events(self) -> frozenset[str]:
        """The log events that feed a metric (besides every error-level event)."""
        return frozenset(self._handlers)

    # --- the structlog processor ---------------------------------------------------------------
    def observe(
        self, _logger: Any, method: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        event = event_dict.get("event")
        with contextlib.suppress(Exception):  # a metric must never cost a log line or a call
            handler = self._handlers.get(event) if isinstance(event, str) else None
            if handler is not None:
                with self._lock:
                    handler(event_dict)
            if method in ("error", "critical", "exception") and isinstance(event, str):
                self.errors.labels(_label(event)).inc()
        return event_dict

    def _call_started(self, _event: Mapping[str, Any]) -> None:
        self.calls_started.inc()
        self.calls_in_progress.inc()

    def _call_ended(self, _event: Mapping[str, Any]) -> None:
        self.calls_in_progress.dec()

    def _refused(self, event: Mapping[str, Any]) -> None:
        reasons = event.get("reasons")
        for reason in reasons if isinstance(reasons, list | tuple) else [reasons]:
            self.guard_refusals.labels(_label(reason)).inc()

    def _campaign_status(self, event: Mapping[str, Any]) -> None:
        campaign = _label(event.get("campaign_id"))
        for gauge, key in (
            (self.lines_in_use, "lines_in_use"),
            (self.queue_depth, "queue_depth"),
            (self.queue_lag, "queue_lag_s"),
            (self.abandon_ratio, "abandon_ratio"),
        ):
            value = event.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                gauge.labels(campaign).set(float(value))

    def _turn(self, event: Mapping[str, Any]) -> None:
        language = _label(event.get("language"))
        for phase in TURN_PHASES:
            if (seconds := _ms(event, f"{phase}_ms")) is not None:
                self.turn_seconds.labels(language, phase).observe(seconds)
        for stage in SPEECH_STAGES:
            if (seconds := _ms(event, f"{stage}_ms")) is not None:
                self.speech_seconds.labels(stage, language).observe(seconds)

    # --- the API's own requests, its audit writer and exposition --------------------------------
    def observe_audit_lag(self, lags: Sequence[float]) -> None:
        """One committed batch of audit records: each record's wait (the writer's thread)."""
        with contextlib.suppress(Exception):
            for seconds in lags:
                self.audit_lag.observe(max(0.0, seconds))

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(_label(route), method, str(status)).observe(seconds)

    def exposition(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def serve(self, host: str, port: int) -> None:
        """A worker's own /metrics (a daemon thread; the API serves its own route instead)."""
        start_http_server(port, addr=host, registry=self.registry)
