"""structlog set-up: JSON lines, fixed event names, personal data only under ``pii.*`` keys.

Keys that start with ``pii.`` are dropped from every log line unless logging of personal data
was switched on explicitly (``COLLECTBOT_LOG_PII=1``, for a developer's own machine only).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any, TextIO

import structlog

PII_PREFIX = "pii."


def drop_pii(keep: bool) -> structlog.types.Processor:
    """A processor that removes every ``pii.*`` key (or keeps them when ``keep``)."""

    def processor(
        _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
    ) -> Mapping[str, Any]:
        if keep:
            return event_dict
        for key in [k for k in event_dict if k.startswith(PII_PREFIX)]:
            del event_dict[key]
        return event_dict

    return processor


def configure_logging(
    *,
    log_pii: bool = False,
    level: str = "INFO",
    stream: TextIO | None = None,
    observers: Sequence[structlog.types.Processor] = (),
) -> None:
    """Configure structlog for JSON output on ``stream`` (the current stderr by default).

    ``observers`` see every event that passes the level (before personal data is dropped) and
    must return it unchanged: the process's metrics are fed this way (``telemetry.metrics``)."""

    def factory(*_args: Any) -> structlog.PrintLogger:
        # resolved at each use, so a replaced sys.stderr (tests, daemons) is honoured
        return structlog.PrintLogger(stream if stream is not None else sys.stderr)

    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            *observers,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            drop_pii(log_pii),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=factory,
        cache_logger_on_first_use=False,
    )


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(name)
    return logger
