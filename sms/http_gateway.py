"""``HttpSmsGateway``: a generic HTTP provider (URL, auth header, JSON body template)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx

from sms.errors import GatewayError
from sms.gateway import OutboundSms, SendResult


@dataclass
class HttpSmsGateway:
    """POSTs the rendered body template; the provider's id is read from ``ref_field``."""

    url: str
    client: httpx.AsyncClient
    body_template: str
    auth_header: str = ""
    ref_field: str = "id"
    timeout: float = 10.0

    def render(self, sms: OutboundSms) -> str:
        values = {
            "to": json.dumps(sms.to),
            "sender": json.dumps(sms.sender),
            "body": json.dumps(sms.body, ensure_ascii=False),
            "id": json.dumps(sms.message_id),
        }
        text = self.body_template
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        json.loads(text)  # the template must give valid JSON
        return text

    async def send(self, sms: OutboundSms) -> SendResult:
        headers = {"content-type": "application/json"}
        if self.auth_header:
            headers["authorization"] = self.auth_header
        try:
            response = await self.client.post(
                self.url,
                content=self.render(sms).encode(),
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.HTTPError as e:
            raise GatewayError(f"SMS provider unreachable: {type(e).__name__}") from e
        if response.status_code >= 300:
            raise GatewayError(f"SMS provider refused the message: HTTP {response.status_code}")
        try:
            ref = response.json()[self.ref_field]
        except (ValueError, KeyError, TypeError) as e:
            raise GatewayError(f"SMS provider answer has no {self.ref_field!r}") from e
        return SendResult(provider_ref=str(ref))

    async def aclose(self) -> None:
        await self.client.aclose()
