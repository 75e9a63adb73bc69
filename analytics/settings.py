"""Analytics settings (env prefix ``ANALYTICS_``): QA rules, report schedule and delivery."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class AnalyticsSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ANALYTICS_", extra="ignore", populate_by_name=True
    )

    home: Path = Field(
        default=Path("var"),
        validation_alias=AliasChoices("ANALYTICS_HOME", "COLLECTBOT_HOME"),
        description="Root folder; reports go to <home>/reports unless reports_dir is set",
    )
    qa_rules: Path | None = Field(default=None, description="QA rules YAML (forbidden phrases …)")
    reports_dir: Path | None = Field(default=None, description="Where reports are delivered")
    daily_hour: int = Field(default=6, ge=0, le=23, description="UTC hour of the daily run")
    weekly_weekday: int = Field(default=0, ge=0, le=6, description="0 = Monday")
    cost_per_minute: Decimal = Field(default=Decimal("0.02"))
    cost_per_sms: Decimal = Field(default=Decimal("0.01"))
    smtp_host: str = Field(default="", description="empty: no e-mail, the folder only")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password: SecretStr | None = None
    smtp_timeout_s: float = Field(default=20.0, gt=0)
    mail_from: str = "collectbot@localhost"
    mail_to: list[str] = Field(default_factory=list)
    sms_best_time: bool = Field(
        default=False, description="Plan each SMS step at its debtor's learned best hour"
    )

    def folder(self) -> Path:
        return self.reports_dir or self.home / "reports"
