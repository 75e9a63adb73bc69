"""Send one templated SMS about a case: render, ask the window and the compliance guard,
store the message (encrypted), hand it to the gateway, record the provider's answer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin_api.case_service import load_case
from admin_api.errors import Conflict, NotFound, Unprocessable
from admin_api.roles import Principal
from admin_api.services import Services
from core.ids import new_id
from core.logging import get_logger
from core.money import Money
from data import audit
from data.contact_history import contact_history, guard_since
from data.crypto import Keyring
from data.models import Case, DebtorPhone, Loan, SmsMessage
from data.models import Debtor as DebtorRow
from data.models.admin import SmsTemplate
from scoring.compliance import Debtor, Flag
from sms.errors import GatewayError, NotAllowedNow, TemplateError
from sms.gateway import OutboundSms
from sms.policy import require_allowed
from sms.templates import render

log = get_logger(__name__)


class SmsSendIn(BaseModel):
    template: str = Field(min_length=1, max_length=64)
    payment_method: str | None = Field(default=None, max_length=100)


class SmsOut(BaseModel):
    id: str
    status: str
    template: str
    language: str
    provider_ref: str | None


@dataclass(frozen=True, slots=True)
class Prepared:
    message_id: str
    to: str
    body: str
    template: str
    language: str


def _phone(s: Session, debtor_id: str) -> tuple[DebtorPhone, list[DebtorPhone]]:
    """The first active mobile number, and all numbers (for the do-not-call list)."""
    phones = list(
        s.scalars(
            select(DebtorPhone)
            .where(DebtorPhone.debtor_id == debtor_id)
            .order_by(DebtorPhone.position)
        )
    )
    usable = [p for p in phones if p.status == "active" and p.kind == "mobile"]
    if not usable:
        raise Conflict("the debtor has no active mobile number")
    return usable[0], phones


def pay_by(now: datetime, timezone: str, days: int) -> date:
    """The date an SMS asks the debtor to pay by: ``days`` after their own today."""
    return now.astimezone(ZoneInfo(timezone)).date() + timedelta(days=days)


def _values(
    services: Services, case: Case, loan: Loan, debtor: DebtorRow, body: SmsSendIn
) -> dict[str, str]:
    days = services.sms_settings.pay_within_days
    return {
        "amount": str(Money.from_minor(loan.outstanding_minor, loan.currency)),
        "due_date": pay_by(services.clock.now(), debtor.timezone, days).isoformat(),
        "payment_link": services.sms_settings.payment_link.replace("{case}", case.id),
        "payment_method": body.payment_method or "",
        "company": services.sms_settings.company,
        "case_ref": case.id,
    }


def _guard_debtor(keyring: Keyring, debtor: DebtorRow, phones: list[DebtorPhone]) -> Debtor:
    known = {f.value for f in Flag}
    return Debtor.of(
        debtor.jurisdiction,
        debtor.timezone,
        flags=[f for f in debtor.flags() if f in known],
        do_not_call=[
            keyring.decrypt(p.phone_enc, "debtor_phones.phone") for p in phones if p.do_not_call
        ],
        consent_call=debtor.consent_call,
        consent_sms=debtor.consent_sms,
    )


def _template(s: Session, name: str, language: str) -> SmsTemplate:
    template = s.scalar(
        select(SmsTemplate).where(SmsTemplate.name == name, SmsTemplate.language == language)
    )
    if template is None:
        raise NotFound(f"no template {name!r} in language {language!r}")
    return template


def prepare(
    services: Services,
    who: Principal,
    case_id: str,
    body: SmsSendIn,
    overrides: dict[str, str] | None = None,
) -> Prepared:
    """Everything before the network: refuses with the guard's reasons, stores 'queued'."""
    keyring, now = services.keyring, services.clock.now()
    with services.db.transaction() as s:
        case, loan, debtor = load_case(s, who, case_id)
        template = _template(s, body.template, debtor.language)
        phone, phones = _phone(s, debtor.id)
        number = keyring.decrypt(phone.phone_enc, "debtor_phones.phone")
        try:
            values = _values(services, case, loan, debtor, body) | (overrides or {})
            text = render(template.body, values)
        except TemplateError as e:
            raise Unprocessable(str(e)) from e
        try:
            require_allowed(
                debt_id=case.id,
                phone=number,
                debtor=_guard_debtor(keyring, debtor, phones),
                history=contact_history(s, debtor.id, guard_since(now)),
                now=now,
                windows=services.sms_settings.parsed_windows(),
            )
        except NotAllowedNow as e:
            audit.append(
                s,
                at=now,
                actor=who.actor,
                action="sms.refused",
                subject_type="case",
                subject_id=case.id,
                details={"reasons": list(e.reasons)},
            )
            raise Conflict(str(e)) from e
        message = SmsMessage(
            id=new_id("sms"),
            case_id=case.id,
            phone_id=phone.id,
            template=template.name,
            language=template.language,
            body_enc=keyring.encrypt(text, "sms_messages.body"),
            status="queued",
            created_at=now,
        )
        s.add(message)
        audit.append(
            s,
            at=now,
            actor=who.actor,
            action="sms.queue",
            subject_type="case",
            subject_id=case.id,
            details={"sms_id": message.id, "template": template.name},
        )
    return Prepared(message.id, number, text, template.name, template.language)


def _record(services: Services, message_id: str, ref: str | None, problem: str | None) -> None:
    with services.db.transaction() as s:
        message = s.get(SmsMessage, message_id)
        assert message is not None
        if problem is None:
            message.status, message.provider_ref = "sent", ref
            message.sent_at = services.clock.now()
        else:
            message.status, message.detail = "failed", problem[:500]


async def send(
    services: Services,
    who: Principal,
    case_id: str,
    body: SmsSendIn,
    overrides: dict[str, str] | None = None,
) -> SmsOut:
    prepared = await asyncio.to_thread(prepare, services, who, case_id, body, overrides)
    outbound = OutboundSms(
        prepared.message_id, prepared.to, prepared.body, services.sms_settings.sender
    )
    try:
        result = await services.sms_gateway.send(outbound)
    except GatewayError as e:
        await asyncio.to_thread(_record, services, prepared.message_id, None, str(e))
        # the metrics' collectbot_sms_total{result="failed"}; the provider's words may name
        # the number, so they stay personal
        log.warning(
            "sms.failed", sms_id=prepared.message_id, stage="gateway", **{"pii.error": str(e)[:200]}
        )
        raise Conflict(f"the SMS gateway refused the message: {e}") from e
    await asyncio.to_thread(_record, services, prepared.message_id, result.provider_ref, None)
    log.info("sms.sent", sms_id=prepared.message_id, template=prepared.template)
    return SmsOut(
        id=prepared.message_id,
        status="sent",
        template=prepared.template,
        language=prepared.language,
        provider_ref=result.provider_ref,
    )
