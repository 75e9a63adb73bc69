"""Reports as JSON or CSV, by day/week/month over any range (default: the last 30 days)."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from admin_api.deps import get_services, require
from admin_api.errors import Unprocessable
from admin_api.roles import STAFF, Principal, Role
from admin_api.services import Services
from data import report_queries as rq

router = APIRouter(prefix="/reports", tags=["reports"])
Svc = Annotated[Services, Depends(get_services)]
Viewers = Annotated[Principal, Depends(require(*STAFF, Role.AUDITOR))]
ReportName = Literal[
    "collection-progress",
    "customer-analysis",
    "agent-performance",
    "channel-cost",
    "champion-challenger",
    "sms-templates",
]
MAX_RANGE = timedelta(days=3 * 366)


def _rows(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [dataclasses.asdict(r) for r in items]


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            for sub, v in sorted(value.items()):
                out[f"{key}.{sub}"] = v
        else:
            out[key] = value
    return out


def to_csv(rows: list[dict[str, Any]]) -> str:
    flat = [_flat(r) for r in rows]
    header: list[str] = []
    for r in flat:
        header.extend(k for k in r if k not in header)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return buf.getvalue()


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _query(
    name: str, services: Services, start: datetime, end: datetime, grain: rq.Grain
) -> Callable[[Session], Any]:
    s = services.settings
    table: dict[str, Callable[[Session], Any]] = {
        "collection-progress": lambda x: rq.collection_progress(x, start, end, grain),
        "customer-analysis": lambda x: rq.customer_analysis(x, start, end),
        "agent-performance": lambda x: rq.agent_performance(x, start, end),
        "channel-cost": lambda x: rq.channel_cost(
            x, start, end, cost_per_minute=s.cost_per_minute, cost_per_sms=s.cost_per_sms
        ),
        "champion-challenger": lambda x: rq.champion_challenger(x, start, end),
        "sms-templates": lambda x: rq.sms_effect(x, start, end),
    }
    return table[name]


@router.get("/{name}", response_model=None)
def report(
    name: ReportName,
    who: Viewers,
    services: Svc,
    start: datetime | None = None,
    end: datetime | None = None,
    grain: rq.Grain = "day",
    fmt: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
) -> Response:
    end = end or services.clock.now()
    start = start or end - timedelta(days=30)
    if start.tzinfo is None or end.tzinfo is None:
        raise Unprocessable("start and end need a UTC offset")
    if not start < end or end - start > MAX_RANGE:
        raise Unprocessable("start must be before end, at most three years apart")
    with services.db.transaction() as s:
        rows = _rows(_query(name, services, start, end, grain)(s))
    if fmt == "csv":
        return Response(
            to_csv(rows),
            media_type="text/csv",
            headers={"content-disposition": f'attachment; filename="{name}.csv"'},
        )
    body = {"report": name, "start": start.isoformat(), "end": end.isoformat(), "grain": grain}
    return JSONResponse({**body, "rows": _json(rows)})
