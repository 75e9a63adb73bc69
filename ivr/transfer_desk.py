"""Who takes a transferred call: the agent desk.

``AgentDesk`` picks an agent for a call and marks them busy; ``release`` marks them free again
(``wrap_up`` after they talked to the debtor, ``available`` when their leg never answered).
``connected`` assigns the case to the agent who took the call (as a manual transfer does).
``DbAgentDesk`` does it on the ``agents`` table: an available agent who speaks the call's
language, the case's own agent first, then those whose skills fit the case (product, tier),
ranked as the allocation rules rank them (past recovery, spare capacity). Claiming is a
conditional update (``status = 'available'`` -> ``'on_call'``), so two workers never take
the same agent. Nobody free -> ``None``: the session dials ``IVR_AGENT_ENDPOINT`` (a queue).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from core.clock import Clock
from core.dialogue import Lang
from core.logging import get_logger
from data.allocation_store import agents as agent_skills
from data.allocation_store import write_assignments
from data.crypto import Keyring
from data.db import Database
from data.live import SUPERVISOR_TOPIC, LivePublishError, Message
from data.models import Agent, Case, Loan
from ivr.calls import TranscriptLine, TransferStarted
from scoring.allocation import Agent as AgentSkills
from scoring.allocation import Assignment, CaseNeed
from scoring.strategy import Tier

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class AgentPick:
    agent_id: str
    endpoint: str  # the agent's dial string, e.g. PJSIP/agent-7


class AgentDesk(Protocol):
    async def pick(self, case_id: str | None, lang: Lang) -> AgentPick | None: ...

    async def connected(self, agent_id: str, case_id: str | None, call_id: str) -> None:
        """The agent took the call: the case becomes theirs (their console may open it)."""

    async def release(self, agent_id: str, *, talked: bool) -> None: ...


class LiveFeed(Protocol):
    """The agent console's live view of a transferred call (after the screen-pop)."""

    async def line(self, call: TransferStarted, line: TranscriptLine) -> None: ...

    async def ended(self, call: TransferStarted, reason: str) -> None: ...


class Publisher(Protocol):
    async def publish(self, topic: str, message: Message) -> None: ...


def transfer_order(agents: Sequence[AgentSkills], lang: str, need: CaseNeed | None) -> list[str]:
    """The agents who speak ``lang``, best first: the case's own agent, then the skilled
    (product and tier fit; held-case capacity does not bar a live call), then the rest; within
    each, better recovery and more spare capacity first (the allocation rules' ranking)."""

    def key(a: AgentSkills) -> tuple[bool, bool, float, str]:
        own = need is not None and a.agent_id == need.agent_id
        fits = need is None or replace(a, load=0, active=True).can_take(need)
        spare = 1.0 - a.load / a.capacity if a.capacity else 0.0
        return (not own, not fits, -(a.recovery_rate + 0.5 * spare), a.agent_id)

    return [a.agent_id for a in sorted((a for a in agents if lang in a.languages), key=key)]


@dataclass
class DbAgentDesk:
    """Agents from the database; status changes also go to the supervisors' board."""

    db: Database
    keyring: Keyring
    clock: Clock
    live: Publisher | None = None

    async def pick(self, case_id: str | None, lang: Lang) -> AgentPick | None:
        pick = await asyncio.to_thread(self._pick, case_id, lang)
        if pick is not None:
            await self._announce(pick.agent_id, "on_call")
        return pick

    async def connected(self, agent_id: str, case_id: str | None, call_id: str) -> None:
        if case_id is not None:
            await asyncio.to_thread(self._assign, agent_id, case_id, call_id)

    async def release(self, agent_id: str, *, talked: bool) -> None:
        status = "wrap_up" if talked else "available"
        if await asyncio.to_thread(self._set, agent_id, "on_call", status):
            await self._announce(agent_id, status)

    def _pick(self, case_id: str | None, lang: str) -> AgentPick | None:
        with self.db.transaction() as s:
            free = {a.id: a for a in s.scalars(select(Agent).where(Agent.status == "available"))}
            if not free:
                return None
            skills = [a for a in agent_skills(s) if a.agent_id in free]
            for agent_id in transfer_order(skills, lang, _need(s, case_id, lang)):
                claimed = s.execute(
                    update(Agent)
                    .where(Agent.id == agent_id, Agent.status == "available")
                    .values(status="on_call", status_since=self.clock.now())
                )
                if cast(CursorResult[Any], claimed).rowcount == 1:
                    return AgentPick(agent_id, free[agent_id].endpoint)
        return None

    def _assign(self, agent_id: str, case_id: str, call_id: str) -> None:
        """A transfer assignment (case note + audit, as the API's manual transfer writes)."""
        with self.db.transaction() as s:
            case = s.get(Case, case_id)
            if case is None or case.assigned_agent_id == agent_id:
                return
            reason = f"call {call_id} transferred by the bot"
            move = Assignment(case_id, agent_id, "transfer", reason, "bot", self.clock.now(),
                              previous_agent_id=case.assigned_agent_id)  # fmt: skip
            write_assignments(s, self.keyring, [move])

    def _set(self, agent_id: str, was: str, status: str) -> bool:
        with self.db.transaction() as s:
            done = s.execute(
                update(Agent)
                .where(Agent.id == agent_id, Agent.status == was)
                .values(status=status, status_since=self.clock.now())
            )
            return cast(CursorResult[Any], done).rowcount == 1

    async def _announce(self, agent_id: str, status: str) -> None:
        log.info("ivr.agent_status", agent_id=agent_id, status=status)
        if self.live is None:
            return
        message = {"type": "agent.status", "agent_id": agent_id, "status": status}
        try:
            await self.live.publish(SUPERVISOR_TOPIC, message)
        except LivePublishError as e:
            log.warning("ivr.agent_status_publish_failed", agent_id=agent_id, error=str(e))


def _need(session: Session, case_id: str | None, lang: str) -> CaseNeed | None:
    if case_id is None:
        return None
    row = session.execute(
        select(Case, Loan.product).join(Loan, Loan.id == Case.loan_id).where(Case.id == case_id)
    ).first()
    if row is None:
        return None
    case, product = row
    tier = Tier(case.risk_tier) if case.risk_tier in set(Tier) else Tier.MEDIUM
    return CaseNeed(case.id, lang, product, tier, agent_id=case.assigned_agent_id)
