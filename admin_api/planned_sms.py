"""The strategy's SMS steps, carried out: every case whose planned next action is an SMS that
is due gets it through the one SMS path (``sms_service.send``: template in the debtor's
language named by the step's script, sending window, compliance guard at send time with the one
contact history, consent, encrypted storage, gateway), and is then planned again: the message
is a contact in the history the planner reads, so the case moves to its next step.

A message refused now (outside the SMS window, a cap) is tried again next round while the
planned window lasts; once it is over the case is planned again (the planner finds the next
window, or blocks the case with the guard's reasons, ``no_consent`` among them). A missing
template blocks the step visibly (reason ``no_sms_template``) instead of retrying it forever.
The API runs it every ``API_SMS_STEPS_INTERVAL`` seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from admin_api import sms_service
from admin_api.errors import ApiError, NotFound
from admin_api.roles import Principal, Role
from admin_api.rounds import every
from admin_api.services import Services
from core.logging import get_logger
from data.campaign_store import OPEN_STATUSES
from data.campaign_strategies import plan_cases
from data.models import Case
from data.scoring_store import plan_frame, write_plan
from scoring.compliance import JurisdictionProfile, load_profiles
from scoring.settings import ScoringSettings
from scoring.strategy import Strategy, load_strategy

log = get_logger(__name__)
SYSTEM = Principal(user_id="system", username="system:sms_steps", role=Role.ADMIN)


@dataclass(frozen=True, slots=True)
class SmsRound:
    sent: tuple[str, ...] = ()  # case ids
    deferred: tuple[str, ...] = ()  # refused now, tried again next round
    replanned: tuple[str, ...] = ()
    held: tuple[str, ...] = ()  # blocked until someone acts (a template to add)


@dataclass(frozen=True, slots=True)
class DueSms:
    case_id: str
    script: str
    latest: datetime | None  # the end of the planned window


@dataclass
class PlannedSms:
    services: Services
    strategy: Strategy
    profiles: Mapping[str, JurisdictionProfile]
    limit: int = 200

    def due(self, now: datetime) -> list[DueSms]:
        channel = Case.next_action["channel"].as_string()
        blocked = Case.next_action["blocked"].as_boolean()
        with self.services.db.transaction() as s:
            rows = s.execute(
                select(Case.id, Case.next_action)
                .where(
                    channel == "sms",
                    or_(blocked.is_(None), blocked.is_(False)),
                    Case.status.in_(OPEN_STATUSES),
                    Case.next_action_at.is_not(None),
                    Case.next_action_at <= now,
                )
                .order_by(Case.next_action_at, Case.id)
                .limit(self.limit)
            ).all()
        out = []
        for row in rows:
            action: dict[str, Any] = dict(row.next_action or {})
            latest = action.get("latest")
            at = datetime.fromisoformat(str(latest)) if latest else None
            out.append(DueSms(str(row.id), str(action.get("script") or ""), at))
        return out

    def replan(self, case_ids: list[str], now: datetime) -> None:
        """The cases' next actions computed again (the SMS just sent is in their history)."""
        with self.services.db.transaction() as s:
            frame = plan_frame(s, self.profiles, case_ids)
            if len(frame):
                write_plan(s, plan_cases(s, frame, self.strategy, now, self.profiles), now)

    def hold(self, case_id: str, reason: str) -> None:
        """Block the case's planned SMS with ``reason`` (the next ``strategy plan`` retries)."""
        with self.services.db.transaction() as s:
            case = s.get(Case, case_id)
            if case is not None and case.next_action:
                reasons = [*case.next_action.get("reasons", []), reason]
                case.next_action = {**case.next_action, "blocked": True, "reasons": reasons}

    async def send_due(self) -> SmsRound:
        """One round: send what is due, re-plan what was sent or is over."""
        now = self.services.clock.now()
        sent: list[str] = []
        deferred: list[str] = []
        again: list[str] = []
        held: list[str] = []
        for item in await asyncio.to_thread(self.due, now):
            try:
                await sms_service.send(
                    self.services, SYSTEM, item.case_id, sms_service.SmsSendIn(template=item.script)
                )
            except NotFound as e:  # no template for this script and language: held, visibly
                log.warning("sms_steps.no_template", case_id=item.case_id, error=str(e)[:200])
                await asyncio.to_thread(self.hold, item.case_id, "no_sms_template")
                held.append(item.case_id)
                continue
            except ApiError as e:
                over = item.latest is None or item.latest <= now
                (again if over else deferred).append(item.case_id)
                log.info("sms_steps.deferred", case_id=item.case_id, reason=str(e)[:200])
                continue
            sent.append(item.case_id)
            again.append(item.case_id)
        if again:
            await asyncio.to_thread(self.replan, again, self.services.clock.now())
        log.info(
            "sms_steps.round",
            sent=len(sent), deferred=len(deferred), replanned=len(again), held=len(held),
        )  # fmt: skip
        return SmsRound(tuple(sent), tuple(deferred), tuple(again), tuple(held))

    @classmethod
    def configured(cls, services: Services) -> PlannedSms:
        """With the strategy and compliance profiles of ``SCORING_*`` (as ``strategy plan``)."""
        settings = ScoringSettings()
        return cls(
            services,
            load_strategy(settings.strategy_file),
            load_profiles(settings.compliance_profiles),
        )

    async def run(self, interval: float) -> None:
        """Round after round until cancelled; a failed round is logged, never fatal to the API."""
        await every(interval, self.send_due, "sms_steps.round_failed")
