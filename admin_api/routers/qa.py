"""Call QA for supervisors and auditors: the review queue (calls with findings first, then a
random sample of clean ones) and the reviewer's verdict. Findings quote the transcript, so a
read of the queue is audited like any other read of personal data."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from admin_api.deps import get_services, require
from admin_api.errors import NotFound, Unprocessable
from admin_api.roles import STAFF, Principal, Role
from admin_api.services import Services
from analytics.qa_report import review_queue
from data import audit, qa_store

router = APIRouter(prefix="/qa", tags=["qa"])
Svc = Annotated[Services, Depends(get_services)]
Viewers = Annotated[Principal, Depends(require(*STAFF, Role.AUDITOR))]
Reviewers = Annotated[Principal, Depends(require(*STAFF))]  # auditors read, never change
MAX_RANGE = timedelta(days=366)


class VerdictIn(BaseModel):
    verdict: Literal["confirmed", "rejected", "coaching"]
    note: str | None = Field(default=None, max_length=500)


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


@router.get("/calls", response_model=None)
def qa_calls(
    who: Viewers,
    services: Svc,
    start: datetime | None = None,
    end: datetime | None = None,
    clean_sample: Annotated[int, Query(ge=0, le=200)] = 10,
    seed: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    end = end or services.clock.now()
    start = start or end - timedelta(days=7)
    if start.tzinfo is None or end.tzinfo is None:
        raise Unprocessable("start and end need a UTC offset")
    if not start < end or end - start > MAX_RANGE:
        raise Unprocessable("start must be before end, at most a year apart")
    with services.db.transaction() as s:
        queue = review_queue(qa_store.scored(s, start, end), clean_sample, seed)[:limit]
        rows = qa_store.views(s, [c.attempt_id for c in queue])
    services.audit.write(
        audit.Record(
            at=services.clock.now(),
            actor=who.actor,
            action="qa.calls.read",
            subject_type="qa",
            details={"calls": len(rows), "start": start.isoformat(), "end": end.isoformat()},
        )
    )
    body = [_json(dataclasses.asdict(r)) for r in rows]
    return JSONResponse({"start": start.isoformat(), "end": end.isoformat(), "calls": body})


@router.post("/calls/{attempt_id}/verdict")
def qa_verdict(attempt_id: str, body: VerdictIn, who: Reviewers, services: Svc) -> dict[str, str]:
    with services.db.transaction() as s:
        found = qa_store.record_verdict(
            s,
            attempt_id,
            verdict=body.verdict,
            reviewer=who.actor,
            note=body.note,
            now=services.clock.now(),
        )
    if not found:
        raise NotFound("no QA result for this call")
    return {"attempt_id": attempt_id, "verdict": body.verdict}
