"""Delivery receipts and replies from the HTTP SMS gateway (signed with HMAC, no JWT)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select

from admin_api.deps import get_services
from admin_api.errors import NotAuthenticated, NotFound, Unprocessable
from admin_api.services import Services
from admin_api.webhooks import verify_signature
from core.logging import get_logger
from data import audit
from data.models import SmsMessage

log = get_logger(__name__)
router = APIRouter(prefix="/sms", tags=["sms"])
FAILED = frozenset({"failed", "expired", "rejected"})  # counted as collectbot_sms_total{failed}
Svc = Annotated[Services, Depends(get_services)]


class Receipt(BaseModel):
    provider_ref: Annotated[str, Field(min_length=1, max_length=128)]
    status: Literal["delivered", "failed", "expired", "rejected", "reply"]
    reply: Annotated[str, Field(max_length=1600)] | None = None
    detail: Annotated[str, Field(max_length=500)] | None = None


@router.post("/receipts", status_code=204)
async def sms_receipt(
    request: Request,
    services: Svc,
    signature: Annotated[str, Header(alias="x-collectbot-signature", max_length=200)] = "",
) -> None:
    """Public route: authenticated by the gateway's HMAC signature, not by a user token."""
    body = await request.body()
    now = services.clock.now()
    secret = services.settings.sms_receipt_secret.get_secret_value()
    if not verify_signature(secret, signature, body, now=int(now.timestamp()), tolerance=300):
        raise NotAuthenticated("bad or missing signature")
    try:
        receipt = Receipt.model_validate_json(body)
    except ValidationError as e:
        raise Unprocessable(f"not a receipt: {e.error_count()} problem(s)") from e
    sms_id = await asyncio.to_thread(_store, services, receipt)
    if receipt.status == "delivered":
        log.info("sms.delivered", sms_id=sms_id)
    elif receipt.status in FAILED:
        log.warning("sms.failed", sms_id=sms_id, stage="receipt", status=receipt.status)


def _store(services: Services, receipt: Receipt) -> str:
    now = services.clock.now()
    with services.db.transaction() as s:
        msg = s.scalar(select(SmsMessage).where(SmsMessage.provider_ref == receipt.provider_ref))
        if msg is None:
            raise NotFound("no message with that provider reference")
        if receipt.status == "reply":
            msg.reply_enc = services.keyring.encrypt(receipt.reply or "", "sms_messages.reply")
        else:
            msg.status = receipt.status
            if receipt.status == "delivered":
                msg.delivered_at = now
            msg.detail = receipt.detail
        audit.append(
            s,
            at=now,
            actor="sms-gateway",
            action=f"sms.{receipt.status}",
            subject_type="sms",
            subject_id=msg.id,
        )
        return msg.id
