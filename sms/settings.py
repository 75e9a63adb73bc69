"""SMS settings (env prefix ``SMS_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from sms.windows import DEFAULT_WINDOWS, Window


class SmsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SMS_", extra="ignore")

    gateway: Literal["file", "http", "smpp"] = "file"
    sender: str = Field(default="CollectBot", max_length=20)
    windows: list[str] = Field(
        default_factory=lambda: ["09:00-11:00", "15:00-17:00"],
        description="debtor-local sending windows",
    )
    file_path: Path = Path("var/sms-outbox.jsonl")
    http_url: str = ""
    http_auth_header: SecretStr = SecretStr("")  # e.g. "Bearer abc…" sent as Authorization
    http_body_template: str = Field(
        default='{"to": {to}, "from": {sender}, "text": {body}, "client_ref": {id}}',
        description="JSON body; {to} {sender} {body} {id} are JSON-quoted values",
    )
    http_ref_field: str = "id"
    smpp_host: str = "127.0.0.1"
    smpp_port: int = 2775
    smpp_system_id: str = ""
    smpp_password: SecretStr = SecretStr("")
    smpp_system_type: str = ""
    pay_within_days: int = Field(
        default=7, ge=0, le=60, description="{due_date} of a reminder: the debtor's today + this"
    )
    payment_link: str = ""
    company: str = "CollectBot"

    def parsed_windows(self) -> tuple[Window, ...]:
        return tuple(Window.parse(w) for w in self.windows) or DEFAULT_WINDOWS
