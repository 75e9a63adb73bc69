"""Everything a request handler needs, built once in ``main.py`` and kept on ``app.state``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from admin_api.audit_writer import AuditWriter
from admin_api.hub import Hub
from admin_api.security import Passwords, RateLimiter, TokenService
from admin_api.settings import ApiSettings
from admin_api.webhooks import WebhookDispatcher
from core.clock import Clock
from data.crypto import Keyring
from data.db import Database
from data.recordings import RecordingVault
from sms.gateway import SmsGateway
from sms.settings import SmsSettings
from telemetry.metrics import Metrics


@dataclass
class Services:
    settings: ApiSettings
    db: Database
    keyring: Keyring
    clock: Clock
    tokens: TokenService
    passwords: Passwords
    login_limiter: RateLimiter  # per username + client address
    username_limiter: RateLimiter  # per username, whatever the address
    hub: Hub
    webhooks: WebhookDispatcher
    sms_gateway: SmsGateway
    sms_settings: SmsSettings
    upload_dir: Path
    scripts_dir: Path
    audit: AuditWriter
    recordings: RecordingVault  # sealed call recordings, heard through the audited endpoint
    metrics: Metrics = field(default_factory=Metrics)
    # readiness beyond the database and Redis (``serve`` adds ARI and the speech models)
    ready_checks: dict[str, Callable[[], Awaitable[None]]] = field(default_factory=dict)
    recording_retention_days: int = 180
