"""Dialer settings (env prefix ``DIALER_``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DialerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIALER_", extra="ignore")

    redis_url: str = "redis://127.0.0.1:56379/0"
    worker_id: str = Field(default="", description="Consumer name; default host:pid")
    claim_idle_ms: int = Field(
        default=30_000, ge=1_000, description="Take over after this idle time"
    )
    block_ms: int = Field(default=1_000, ge=10)
    ring_timeout_s: float = Field(
        default=25.0, ge=15.0, description="Ring time when a campaign's own cannot be read"
    )
    max_call_s: float = Field(default=3600.0, gt=0, description="Longest call; in-doubt after")
    redis_timeout_s: float = Field(default=5.0, gt=0)
    abandon_grace_s: float = Field(default=2.0, gt=0)
    endpoint_template: str = Field(
        default="PJSIP/{number}@trunk",
        description="Dial string; {number} = E.164 without '+', {phone} = E.164, {case_id}",
    )
    ivr_capacity: int = Field(default=10, ge=1, description="Calls this worker's IVR can hold")
    company: str = Field(default="Acme Lending", description="Creditor name the bot says")
    company_names: dict[str, str] = Field(
        default_factory=lambda: {"zh": "安信消费金融"},
        description='Creditor name per call language ({"zh": "…"}); `company` otherwise',
    )
    agent_names: dict[str, str] = Field(
        default_factory=lambda: {"en": "Alex", "zh": "小安"},
        description="The bot's own name per call language",
    )
    # answering machines (docs/dialer.md "Answering machines")
    amd: Literal["off", "asterisk", "heuristic"] = Field(
        default="heuristic",
        description="off | asterisk (AMD() in the dialplan, + heuristic) | heuristic (first words)",
    )
    amd_context: str = Field(default="collectbot-amd", description="Dialplan context running AMD")
    machine_action: Literal["default", "message", "hangup"] = Field(
        default="default", description="What a machine gets; default: per jurisdiction"
    )
    callback_contact: str = Field(default="", description="Person named in machine messages")
    callback_phone: str = Field(default="", description="Number given in machine messages")
    supervisor_poll_s: float = Field(default=1.0, gt=0)
    best_time: bool = Field(
        default=False,
        description="Move each due call to its debtor's learned best hour (docs/analytics.md)",
    )
    best_time_horizon_h: int = Field(default=48, ge=1, le=168, description="How far ahead")
    best_time_refresh_s: float = Field(default=3600.0, gt=0, description="Tables read again")
    recover_every_s: float = Field(
        default=5.0, gt=0, description="How often calls of dead workers are looked for"
    )
    status_every_s: float = Field(
        default=5.0,
        gt=0,
        description="How often a worker reports lines in use, queue depth "
        "and lag and the abandonment ratio per campaign (dialer.campaign_status, metrics)",
    )

    # memory (docs/operations.md "Session 13, ops10"; dialer/memory_trim.py)
    malloc_trim_every_s: float = Field(
        default=300.0,
        ge=0,
        description="Give glibc's kept free pages back (malloc_trim) at most this often, while"
        " no call waits for its reply's first audio; 0: never",
    )
    malloc_trim_min_free_mb: float = Field(
        default=32.0, ge=0, description="Trim only when glibc keeps at least this much free"
    )

    def company_for(self, lang: str) -> str:
        """The creditor's name as said in ``lang`` (a Mandarin call says the Chinese name)."""
        return self.company_names.get(lang, self.company)

    def agent_name_for(self, lang: str) -> str | None:
        """The bot's name in ``lang``; None: the script's default."""
        return self.agent_names.get(lang)
