"""Follow-up SMS after a call outcome: a confirmation for every new promise to pay.

``confirm_promises`` finds pending promises without a confirmation SMS and sends the
``promise_confirmation`` template (amount and date of the promise) through the same path as any
SMS: window, compliance guard, encrypted storage. A promise refused now (outside the window,
cap reached) is tried again on the next round; one refused for good (cease, no mobile) is
skipped after ``MAX_TRIES``. The API runs it every ``API_FOLLOWUP_INTERVAL`` seconds.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import select

from admin_api import sms_service
from admin_api.errors import ApiError
from admin_api.roles import Principal, Role
from admin_api.rounds import every
from admin_api.services import Services
from core.logging import get_logger
from core.money import Money
from data.models import Promise, SmsMessage
from data.models.admin import SmsTemplate

log = get_logger(__name__)
TEMPLATE = "promise_confirmation"
SYSTEM = Principal(user_id="system", username="system:followup", role=Role.ADMIN)
MAX_TRIES = 48


@dataclass
class FollowUps:
    services: Services
    tries: dict[int, int] = field(default_factory=dict)

    def _due(self) -> list[tuple[int, str, str, str]]:
        """(promise id, case id, amount text, due date) of promises still unconfirmed."""
        with self.services.db.transaction() as s:
            if s.scalar(select(SmsTemplate.id).where(SmsTemplate.name == TEMPLATE)) is None:
                return []
            confirmed = select(SmsMessage.case_id).where(
                SmsMessage.template == TEMPLATE,
                SmsMessage.created_at >= Promise.created_at,
                SmsMessage.case_id == Promise.case_id,
            )
            rows = s.execute(
                select(
                    Promise.id,
                    Promise.case_id,
                    Promise.amount_minor,
                    Promise.currency,
                    Promise.due_date,
                )
                .where(Promise.status == "pending", ~confirmed.exists())
                .order_by(Promise.id)
                .limit(500)
            ).all()
        return [
            (pid, cid, str(Money.from_minor(minor, cur)), due.isoformat())
            for pid, cid, minor, cur, due in rows
            if self.tries.get(pid, 0) < MAX_TRIES
        ]

    async def confirm_promises(self) -> list[str]:
        """One round; returns the ids of the messages sent."""
        sent: list[str] = []
        for pid, case_id, amount, due in await asyncio.to_thread(self._due):
            self.tries[pid] = self.tries.get(pid, 0) + 1
            try:
                out = await sms_service.send(
                    self.services,
                    SYSTEM,
                    case_id,
                    sms_service.SmsSendIn(template=TEMPLATE),
                    {"amount": amount, "due_date": due},
                )
            except ApiError as e:
                log.info("followup.deferred", promise_id=pid, reason=str(e)[:200])
                continue
            sent.append(out.id)
        return sent

    async def run(self, interval: float) -> None:
        """Round after round until cancelled; a failed round is logged, never fatal to the API."""
        await every(interval, self.confirm_promises, "followup.round_failed")
