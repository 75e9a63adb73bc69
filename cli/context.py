"""Wiring for CLI commands: settings → database, keyring, clock; built per command."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache, cached_property
from pathlib import Path
from typing import TextIO

from structlog.types import Processor

from core.clock import Clock, ShiftedClock, SystemClock
from core.logging import configure_logging
from data.crypto import Keyring, load_keyring
from data.db import Database
from data.recordings import RecordingVault
from data.settings import DataSettings


@cache
def _log_file(path: Path) -> TextIO:
    """One append-mode, line-buffered handle per log file for the life of the process."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a", encoding="utf-8", buffering=1)


def _configure(settings: DataSettings, observers: Sequence[Processor] = ()) -> None:
    stream = _log_file(settings.log_file) if settings.log_file else None
    configure_logging(log_pii=settings.log_pii, stream=stream, observers=observers)


@dataclass
class AppContext:
    settings: DataSettings
    clock: Clock

    @classmethod
    def build(cls) -> AppContext:
        settings = DataSettings()
        _configure(settings)
        clock: Clock = SystemClock()
        if settings.clock_offset_s:  # DataSettings refuses an offset in production
            clock = ShiftedClock(timedelta(seconds=settings.clock_offset_s))
        return cls(settings=settings, clock=clock)

    def observe_logs(self, *observers: Processor) -> None:
        """The process's logging again, now also feeding ``observers`` (the metrics)."""
        _configure(self.settings, observers)

    @cached_property
    def db(self) -> Database:
        db = Database.connect(self.settings.resolved_database_url())
        db.migrate()
        # the audit chain's HMAC key: derived from the keyring, held outside the database
        db.use_audit_keys(self.keyring.audit_keys(self.settings.audit_legacy_until))
        return db

    @cached_property
    def keyring(self) -> Keyring:
        spec = self.settings.data_key.get_secret_value() if self.settings.data_key else None
        return load_keyring(spec, self.settings.home, environment=self.settings.environment)

    @cached_property
    def recordings(self) -> RecordingVault:
        return RecordingVault(self.settings.resolved_recordings_dir(), self.keyring)
