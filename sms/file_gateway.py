"""``FileSmsGateway``: writes every message as one JSON line (development and the demo)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from sms.gateway import OutboundSms, SendResult


@dataclass
class FileSmsGateway:
    path: Path

    async def send(self, sms: OutboundSms) -> SendResult:
        line = json.dumps(
            {"id": sms.message_id, "to": sms.to, "from": sms.sender, "body": sms.body},
            ensure_ascii=False,
        )
        await asyncio.to_thread(self._append, line)
        return SendResult(provider_ref=f"file:{sms.message_id}")

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")

    async def aclose(self) -> None:
        return None
