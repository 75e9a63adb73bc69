"""Scheduled backups: one encrypted backup into the backup folder, the oldest beyond keep-N
removed. ``collectbot backup schedule`` runs it once (a systemd timer or cron) or every
``COLLECTBOT_BACKUP_INTERVAL_HOURS`` (a long-running service)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from data import backup, backup_pg
from data.backup import BackupReport
from data.crypto import Keyring

_NAME = re.compile(r"collectbot-\d{8}T\d{6}Z\.cbk")


@dataclass(frozen=True, slots=True)
class Scheduled:
    path: Path
    report: BackupReport
    removed: tuple[Path, ...]


def take(url: str, keyring: Keyring, folder: Path, now: datetime, keep: int) -> Scheduled:
    """A backup of ``url`` (SQLite or PostgreSQL) into ``folder``; keep the newest ``keep``."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    out = folder / f"collectbot-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.cbk"
    make = backup_pg.create if backup_pg.is_postgres(url) else backup.create
    report = make(url, keyring, out, now)
    ours = sorted(p for p in folder.iterdir() if _NAME.fullmatch(p.name) and p.is_file())
    removed = tuple(ours[: max(0, len(ours) - keep)])
    for old in removed:
        os.unlink(old)
    return Scheduled(out, report, removed)
