"""The promise-check step: every case whose ``promise_check`` next action is due (the day
after the day after the promise's date) is checked against the payments made since the promise
(``scoring.promise_check``): kept → the case moves on (a plan to its next instalment, a paid-off
case done, any other planned again); broken → the promise is ``broken`` and the strategy plans
the case again (the campaign's own strategy where one names it). The API runs it every
``API_PROMISE_CHECK_INTERVAL`` seconds."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from admin_api.planned_sms import PlannedSms
from admin_api.rounds import every
from core.logging import get_logger
from data.models import Case
from data.promise_checks import at_check, due_case_ids, release, write_check
from scoring.promise_check import decide

log = get_logger(__name__)


@dataclass
class PromiseChecks:
    planner: PlannedSms  # its strategy, profiles and re-planning

    def check_due(self) -> dict[str, list[str]]:
        """One round in one transaction; returns the case ids by verdict, and the re-planned."""
        services = self.planner.services
        now = services.clock.now()
        out: dict[str, list[str]] = {"kept": [], "broken": [], "gone": [], "replanned": []}
        with services.db.transaction() as s:
            for case_id in due_case_ids(s, now):
                case = s.get_one(Case, case_id)
                found = at_check(s, case)
                if found is None:
                    release(s, case, now)
                    out["gone"].append(case_id)
                    out["replanned"].append(case_id)
                    continue
                check, promise = found
                plan = decide(check)
                write_check(s, case, check, promise, plan, now)
                out[plan.verdict.value].append(case_id)
                if plan.replan:
                    out["replanned"].append(case_id)
        if out["replanned"]:
            self.planner.replan(out["replanned"], now)
        log.info("promise_checks.round", **{k: len(v) for k, v in out.items()})
        return out

    async def run(self, interval: float) -> None:
        await every(
            interval, lambda: asyncio.to_thread(self.check_due), "promise_checks.round_failed"
        )
