"""IVR settings: the ARI connection (prefix ``ARI_``) and the call session (``IVR_``).

The development sandbox's own settings live with it, in ``simulation.sandbox.settings``.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.environment import (
    ENVIRONMENT_VAR,
    check_package_switches,
    environment_by_name,
    is_production,
)
from core.secrets import require_strong_secret

TurnEndMode = Literal["meaning", "silence"]
DEFAULT_ARI_PASSWORD = "collectbot-sandbox"  # noqa: S105 - the loopback-only sandbox's password


class AriSettings(BaseSettings):
    """Where the ARI of an Asterisk (>= 20) is: the sandbox's by default."""

    model_config = SettingsConfigDict(env_prefix="ARI_", extra="ignore")

    url: str = Field(default="http://127.0.0.1:28088", description="Asterisk HTTP base URL")
    user: str = "collectbot"
    password: SecretStr = SecretStr(DEFAULT_ARI_PASSWORD)
    app: str = Field(default="collectbot", description="Stasis application name")
    request_timeout_s: float = Field(
        default=5.0, gt=0, description="a REST request's answer (and the events' pings)"
    )
    connect_timeout_s: float = Field(default=5.0, gt=0, description="the events' websocket")
    http_connect_timeout_s: float = Field(
        default=2.0,
        gt=0,
        description="a REST connection's TCP connect; one that fails never sent its request, "
        "so it is tried again (http_connect_retries) and a pooled connection spares it",
    )
    http_connect_retries: int = Field(default=1, ge=0)
    http_keepalive_s: float = Field(
        default=10.0,
        ge=0,
        description="how long an idle REST connection is kept for the next request (under "
        "Asterisk's http.conf session_keep_alive, 15 s by default; httpx's own default is 5 s)",
    )
    http_keepalive_max: int = Field(default=32, ge=0, description="idle REST connections kept")
    request_stats_every_s: float = Field(
        default=60.0, gt=0, description="how often ari.requests sums up the REST requests"
    )
    reconnect_min_s: float = Field(default=0.2, gt=0)
    reconnect_max_s: float = Field(default=5.0, gt=0)
    environment: str = Field(
        default="development",
        validation_alias=ENVIRONMENT_VAR.lower(),
        description="COLLECTBOT_ENVIRONMENT: production refuses the sandbox's password",
    )

    @model_validator(mode="before")
    @classmethod
    def _environment_by_name(cls, data: object) -> object:
        return environment_by_name(data)

    @model_validator(mode="after")
    def _no_sandbox_password(self) -> AriSettings:
        check_package_switches(self.environment, os.environ)
        if is_production(self.environment):
            require_strong_secret("ARI_PASSWORD", self.password.get_secret_value())
        return self


class IvrSettings(BaseSettings):
    """How a call session behaves (env prefix ``IVR_``)."""

    model_config = SettingsConfigDict(env_prefix="IVR_", extra="ignore")

    media_host: str = Field(default="127.0.0.1", description="Our RTP address Asterisk sends to")
    no_input_s: float = Field(default=8.0, gt=0, description="Silence after a prompt -> event")
    max_call_s: float = Field(default=600.0, gt=0, description="Hard limit of one call")
    dtmf_interdigit_s: float = Field(
        default=2.5, gt=0, description="Unasked keypad digits end at # or after this pause"
    )
    agent_endpoint: str = Field(
        default="Local/s@agent/n",
        description="Where transfers go when no agent is free (a queue); agents' own dial "
        "strings are on the agents table",
    )
    agent_answer_timeout_s: float = Field(default=20.0, gt=0)
    agent_live_transcript: bool = Field(
        default=True, description="Transcribe the debtor while an agent talks (console lines)"
    )
    live_redis_url: str = Field(
        default="",
        description="redis://… where screen-pops go (the API's API_LIVE_REDIS_URL); "
        "empty: DIALER_REDIS_URL",
    )
    record_calls: bool = True
    recording_format: str = "wav"
    prompt_cache: bool = Field(
        default=True,
        description="Static prompt segments from the per-process prompt cache (rendered at "
        "worker start), the debtor's name and amounts still synthesised per call",
    )
    turn_end: TurnEndMode = Field(
        default="meaning",  # the 2 sandbox failures seen with it were the policy's date bug
        description="meaning: a whole answer to the question asked ends the turn after 200 ms "
        "of silence, an unfinished sentence waits 1,000 ms (else 600); silence: always "
        "ASR_VAD_END_SILENCE_MS",
    )
