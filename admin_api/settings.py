"""Admin-API settings (env prefix ``API_``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigurationError

DEV_SECRET = "collectbot-development-secret-change-me"  # noqa: S105 - refused outside development


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="API_", extra="ignore")

    environment: str = Field(default="development", description="development|production")
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    jwt_secret: SecretStr = SecretStr(DEV_SECRET)
    jwt_minutes: int = Field(default=15, ge=1, le=720, description="token lifetime")
    argon2_memory_kib: int = Field(default=19_456, ge=8, description="argon2id memory (KiB)")
    argon2_time_cost: int = Field(default=2, ge=1, le=20, description="argon2id passes")
    login_burst: int = Field(default=5, ge=1, description="login attempts allowed at once")
    login_per_minute: float = Field(default=5.0, gt=0, description="refill rate of the bucket")
    login_redis_url: str = Field(
        default="",
        description="redis://… for the login limiter shared by all API processes "
        "(empty: API_LIVE_REDIS_URL if set, else a per-process limiter)",
    )
    login_redis_down: Literal["local", "closed"] = Field(
        default="local",
        description="when Redis fails: 'local' per-process buckets, 'closed' refuse logins (503)",
    )
    login_redis_timeout: float = Field(default=0.25, gt=0, le=5, description="seconds")
    webhook_urls: list[str] = Field(default_factory=list, description="outcome/payment receivers")
    webhook_secret: SecretStr = SecretStr(DEV_SECRET)
    webhook_retries: int = Field(default=5, ge=0, le=20)
    sms_receipt_secret: SecretStr = SecretStr(DEV_SECRET)
    cost_per_minute: Decimal = Field(default=Decimal("0.02"), description="telephony cost")
    cost_per_sms: Decimal = Field(default=Decimal("0.01"))
    live_interval: float = Field(default=2.0, gt=0, description="supervisor figures period (s)")
    followup_interval: float = Field(
        default=60.0, ge=0, description="seconds between promise-confirmation rounds; 0 = off"
    )
    sms_steps_interval: float = Field(
        default=60.0,
        ge=0,
        description="seconds between rounds sending the strategy's due SMS steps; 0 = off",
    )
    live_redis_url: str = Field(
        default="", description="redis://… to share live events between API processes"
    )
    threadpool: int = Field(
        default=40,
        ge=1,
        le=1000,
        description="threads per process for the (sync) route handlers; anyio's default is 40",
    )
    audit_group_commit: bool = Field(
        default=True,
        description="commit the audit records of personal-data reads in groups (one writer "
        "thread per process); false: one transaction per record",
    )
    upload_dir: str = Field(default="var/uploads", description="where uploaded files are kept")

    @model_validator(mode="after")
    def _no_default_secret(self) -> ApiSettings:
        if self.environment != "development":
            for name in ("jwt_secret", "webhook_secret", "sms_receipt_secret"):
                secret: SecretStr = getattr(self, name)
                if secret.get_secret_value() == DEV_SECRET or len(secret) < 32:
                    raise ConfigurationError(
                        f"API_{name.upper()} must be set to a secret of 32+ characters "
                        f"outside development"
                    )
        return self
