"""Admin-API settings (env prefix ``API_``)."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.environment import (
    ENVIRONMENT_VAR,
    check_package_switches,
    environment_by_name,
    is_production,
)
from core.errors import ConfigurationError
from core.secrets import require_strong_secret

DEV_SECRET = "collectbot-development-secret-change-me"  # noqa: S105 - refused outside development


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="API_", extra="ignore")

    environment: str = Field(
        default="development",
        validation_alias=ENVIRONMENT_VAR.lower(),
        description="COLLECTBOT_ENVIRONMENT (API_ENVIRONMENT is refused when it disagrees)",
    )
    docs: bool | None = Field(
        default=None,
        description="serve /docs, /redoc and /openapi.json (default: development only)",
    )
    tls_cert: str = Field(default="", description="PEM certificate: the API serves HTTPS itself")
    tls_key: str = Field(default="", description="PEM private key of API_TLS_CERT")
    behind_tls_proxy: bool = Field(
        default=False,
        description="a TLS-terminating reverse proxy is in front (production then accepts "
        "plain HTTP on a non-loopback address)",
    )
    trusted_proxies: str = Field(
        default="",
        description="comma-separated addresses/networks of reverse proxies whose "
        "X-Forwarded-For/-Proto are believed (empty: none, the peer address counts)",
    )
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    jwt_secret: SecretStr = SecretStr(DEV_SECRET)
    jwt_minutes: int = Field(default=15, ge=1, le=720, description="token lifetime")
    argon2_memory_kib: int = Field(default=19_456, ge=8, description="argon2id memory (KiB)")
    argon2_time_cost: int = Field(default=2, ge=1, le=20, description="argon2id passes")
    login_burst: int = Field(default=5, ge=1, description="login attempts allowed at once")
    login_per_minute: float = Field(default=5.0, gt=0, description="refill rate of the bucket")
    # a username's own bucket, whatever the address: guesses from rotating addresses lock it
    login_user_burst: int = Field(default=10, ge=1, description="attempts on one username at once")
    login_user_per_minute: float = Field(
        default=2.0, gt=0, description="refill rate of a username's bucket"
    )
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
    recordings_purge_interval: float = Field(
        default=3600.0,
        ge=0,
        description="seconds between purges of call recordings past their retention "
        "(COLLECTBOT_RECORDING_RETENTION_DAYS); 0 = off",
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
    metrics_token: SecretStr = Field(
        default=SecretStr(""),
        description="bearer token a Prometheus scraper sends to GET /metrics; empty: /metrics "
        "is open in development and off in production",
    )
    ready_timeout: float = Field(
        default=2.0, gt=0, le=30, description="seconds each readiness check may take"
    )
    max_upload_mb: int = Field(
        default=512, ge=1, le=100_000, description="largest portfolio/payments upload (MB)"
    )

    @property
    def production(self) -> bool:
        return is_production(self.environment)

    def check_bind(self, host: str) -> None:
        """Production refuses plain HTTP on an address other machines can reach, unless the
        API serves TLS itself or is told that a TLS proxy is in front of it."""
        if bool(self.tls_cert) != bool(self.tls_key):
            raise ConfigurationError("API_TLS_CERT and API_TLS_KEY go together")
        if not self.production or self.tls_cert or self.behind_tls_proxy:
            return
        if host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("127."):
            raise ConfigurationError(
                f"plain HTTP on {host} in production: set API_TLS_CERT and API_TLS_KEY, or "
                f"bind to 127.0.0.1 behind a TLS proxy (API_BEHIND_TLS_PROXY=true)"
            )

    @property
    def proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def serve_docs(self) -> bool:
        return not self.production if self.docs is None else self.docs

    @model_validator(mode="before")
    @classmethod
    def _environment_by_name(cls, data: object) -> object:
        return environment_by_name(data)

    @model_validator(mode="after")
    def _no_default_secret(self) -> ApiSettings:
        check_package_switches(self.environment, os.environ)
        if self.production:
            for name in ("jwt_secret", "webhook_secret", "sms_receipt_secret"):
                secret: SecretStr = getattr(self, name)
                require_strong_secret(f"API_{name.upper()}", secret.get_secret_value())
            if self.metrics_token.get_secret_value():
                require_strong_secret("API_METRICS_TOKEN", self.metrics_token.get_secret_value())
        return self
