"""Data-layer settings (env prefix ``COLLECTBOT_``)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.environment import check_package_switches, is_production
from core.errors import ConfigurationError


class DataSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COLLECTBOT_", extra="ignore")

    home: Path = Field(default=Path("var"), description="Folder for the SQLite file and dev keys")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite under home")
    data_key: SecretStr | None = Field(
        default=None,
        description="Keyring 'kid:base64key[,kid:base64key…]'; the first key encrypts, all decrypt",
    )
    environment: str = Field(
        default="development",
        description="development|production: the one switch for every package (see "
        "core.environment); production refuses every development default",
    )
    log_pii: bool = False
    log_file: Path | None = Field(
        default=None,
        description="append the JSON log lines to this file instead of stderr (the demo sets "
        "it so its terminal shows progress, not log lines)",
    )
    audit_legacy_until: int = Field(
        default=0,
        ge=0,
        description="unkeyed (pre-keying) audit entries are accepted up to this sequence "
        "number; note it when upgrading a chain written before the audit key existed",
    )
    clock_offset_s: float = Field(
        default=0.0,
        description="Demos and simulations only: move 'now' by this many seconds (refused in "
        "production), so simulated calls fall inside legal calling hours whenever they run",
    )

    recordings_dir: Path | None = Field(
        default=None,
        description="Folder of the encrypted call recordings (default: home/recordings)",
    )
    recording_retention_days: int = Field(
        default=180,
        ge=1,
        le=36_500,
        description="Call recordings older than this many days are deleted (the purge job and "
        "`collectbot recordings purge`)",
    )
    backup_dir: Path | None = Field(
        default=None, description="Folder of scheduled backups (default: home/backups)"
    )
    backup_interval_hours: float = Field(
        default=24.0, gt=0, le=24 * 366, description="`collectbot backup schedule`: hours apart"
    )
    backup_keep: int = Field(
        default=14, ge=1, le=10_000, description="scheduled backups kept (the oldest go first)"
    )

    @model_validator(mode="after")
    def _production_refuses_development_defaults(self) -> DataSettings:
        check_package_switches(self.environment, os.environ)
        if not is_production(self.environment):
            return self
        if self.data_key is None:
            raise ConfigurationError(
                "COLLECTBOT_DATA_KEY is required in production (no generated development key); "
                "create one with `collectbot keys new`"
            )
        if self.clock_offset_s:
            raise ConfigurationError("COLLECTBOT_CLOCK_OFFSET_S is for development only")
        if self.log_pii:
            raise ConfigurationError("COLLECTBOT_LOG_PII is for development only")
        return self

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'collectbot.sqlite3').resolve()}"

    def resolved_recordings_dir(self) -> Path:
        return (self.recordings_dir or self.home / "recordings").resolve()

    def resolved_backup_dir(self) -> Path:
        return (self.backup_dir or self.home / "backups").resolve()
