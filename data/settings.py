"""Data-layer settings (env prefix ``COLLECTBOT_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class DataSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COLLECTBOT_", extra="ignore")

    home: Path = Field(default=Path("var"), description="Folder for the SQLite file and dev keys")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite under home")
    data_key: SecretStr | None = Field(
        default=None,
        description="Keyring 'kid:base64key[,kid:base64key…]'; the first key encrypts, all decrypt",
    )
    environment: str = Field(default="development", description="development|production")
    log_pii: bool = False
    clock_offset_s: float = Field(
        default=0.0,
        description="Demos and simulations only: move 'now' by this many seconds (refused in "
        "production), so simulated calls fall inside legal calling hours whenever they run",
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'collectbot.sqlite3').resolve()}"
