"""Early warnings for agents and supervisors: cases likely to roll into the next DPD bucket or
to break a promise within the week (the last ``analytics early-warning`` run), and cases that
drifted to a worse segment (the last ``analytics segments`` run), each with its reasons.

The reasons speak of a debtor's payments, promises and words: every read is audited, naming
the cases it returned. An agent sees only the cases assigned to them; auditors read all."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from admin_api.deps import get_services, require
from admin_api.errors import Forbidden
from admin_api.roles import STAFF, Principal, Role
from admin_api.services import Services
from analytics.early_warning import LIST_THRESHOLD
from data import audit
from data.analytics_store import listed_warnings

router = APIRouter(prefix="/warnings", tags=["analytics"])
Svc = Annotated[Services, Depends(get_services)]
Readers = Annotated[Principal, Depends(require(*STAFF, Role.AGENT, Role.AUDITOR))]
Kind = Literal["roll", "broken_promise", "segment_drift"]
AUDITED_IDS = 500  # the audit record names at most this many cases (the list is capped too)


class WarningOut(BaseModel):
    case_id: str
    kind: str
    score: float
    reasons: list[str]
    at: datetime | None
    segment: str | None
    agent_id: str | None


class WarningsOut(BaseModel):
    count: int
    warnings: list[WarningOut]


@router.get("")
def list_warnings(
    who: Readers,
    services: Svc,
    kind: Kind | None = None,
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = LIST_THRESHOLD,
    limit: Annotated[int, Query(ge=1, le=AUDITED_IDS)] = 100,
) -> WarningsOut:
    agent = None
    if who.role is Role.AGENT:
        if who.agent_id is None:
            raise Forbidden("this user is not linked to an agent")
        agent = who.agent_id
    with services.db.transaction() as s:
        found = listed_warnings(s, kind=kind, agent_id=agent, min_score=min_score, limit=limit)
    services.audit.write(
        audit.Record(
            at=services.clock.now(),
            actor=who.actor,
            action="warnings.read",
            subject_type="case",
            details={
                "kind": kind,
                "count": len(found),
                "cases": [w.case_id for w in found][:AUDITED_IDS],
            },
        )
    )
    rows = [WarningOut.model_validate(dataclasses.asdict(w)) for w in found]
    return WarningsOut(count=len(rows), warnings=rows)
