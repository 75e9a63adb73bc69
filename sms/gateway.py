"""The ``SmsGateway`` protocol: one outbound message in, the provider's reference out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutboundSms:
    message_id: str  # our id (sms_messages.id), sent to providers that accept a client ref
    to: str  # E.164
    body: str
    sender: str = "CollectBot"


@dataclass(frozen=True, slots=True)
class SendResult:
    provider_ref: str
    accepted: bool = True
    detail: str = ""


class SmsGateway(Protocol):
    async def send(self, sms: OutboundSms) -> SendResult:
        """Hand one message to the provider; raises ``GatewayError`` when it is refused."""
        ...

    async def aclose(self) -> None:
        """Release connections (idempotent)."""
        ...
