"""The sandbox's own settings (``COLLECTBOT_SANDBOX_``) and error: a dev tool, not the product.

The product's side (``ivr.settings.AriSettings``) only says where an ARI is; where the sandbox
lives, which loopback ports it binds and how it is built is this package's business. A second,
private sandbox (fault tests that kill Asterisk) is another ``SandboxSettings`` with its own
``dir`` and ports, and an ``AriSettings`` whose ``url`` names that HTTP port.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import CollectBotError


class SandboxError(CollectBotError):
    """The Asterisk sandbox cannot be built, started or stopped."""


class SandboxSettings(BaseSettings):
    """The development/test Asterisk that runs in a Debian chroot on loopback ports."""

    model_config = SettingsConfigDict(env_prefix="COLLECTBOT_SANDBOX_", extra="ignore")

    dir: Path | None = Field(
        default=None, description="Sandbox folder; default <cache_root>/asterisk-<suite>-<key>"
    )
    cache_root: Path = Path("/var/cache/collectbot")
    suite: str = "forky"
    fallback_suite: str | None = "sid"
    asterisk_major: int = Field(default=22, description="The Asterisk major version required")
    mirror: str | None = Field(default=None, description="Debian archive URI; default: host's")
    tarball: bool = Field(default=True, description="Keep a zstd tarball of the built root")
    http_port: int = 28088
    sip_port: int = 15060
    rtp_start: int = 20000
    rtp_end: int = 20999
    start_timeout_s: float = 30.0
