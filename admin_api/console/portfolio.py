"""The dashboard's portfolio charts: cases and recovery by days past due, the promise-kept
rate and the amount collected per week. The figures are the reports' own queries
(``data.report_queries``), so a chart and its report cannot disagree."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from admin_api.console import i18n
from admin_api.console.render import SECURITY_HEADERS, language
from admin_api.console.session import page, services_of
from admin_api.roles import STAFF, Principal, Role
from data.report_queries import collection_progress, customer_analysis
from data.reports import DPD_BUCKETS

router = APIRouter()
Viewers = Annotated[Principal, Depends(page(*STAFF, Role.AUDITOR))]
WEEKS = 8
BUCKETS = ("current", *(label for _, _, label in DPD_BUCKETS), "181+")


def _pct(part: Decimal | int, whole: Decimal | int) -> float:
    return round(float(part) / float(whole) * 100, 1) if whole else 0.0


def _sum(money: dict[str, Decimal], currency: str) -> Decimal:
    return money.get(currency, Decimal(0))


def _recovery(collected: dict[str, Decimal], outstanding: dict[str, Decimal], cur: str) -> float:
    paid = _sum(collected, cur)
    return _pct(paid, _sum(outstanding, cur) + paid)


def portfolio(s: Session, now: datetime) -> dict[str, Any]:
    """Per DPD bucket: cases, outstanding, collected in the last ``WEEKS`` weeks and the
    recovery rate (collected ÷ (outstanding + collected)); per week: promises made, the share
    of them kept, the amount collected (per currency)."""
    start = now - timedelta(weeks=WEEKS)
    rows = [r for r in customer_analysis(s, start, now) if r.dimension == "dpd_bucket"]
    currencies = sorted({c for r in rows for c in (*r.outstanding, *r.collected)})
    main = max(currencies, key=lambda c: sum(_sum(r.outstanding, c) for r in rows), default="")
    by = {r.segment: r for r in rows}
    buckets = [b for b in BUCKETS if b in by]
    weeks = collection_progress(s, start, now, "week")
    return {
        "currency": main,
        "buckets": buckets,
        "cases": [by[b].cases for b in buckets],
        "outstanding": [str(_sum(by[b].outstanding, main)) for b in buckets],
        "recovery": [_recovery(by[b].collected, by[b].outstanding, main) for b in buckets],
        "weeks": [w.period for w in weeks],
        "promises": [w.promises for w in weeks],
        "kept_rate": [_pct(w.kept_promises, w.promises) for w in weeks],
        "collected": {c: [str(_sum(w.collected, c)) for w in weeks] for c in currencies},
    }


@router.get("/dashboard/portfolio.json")
async def portfolio_json(request: Request, who: Viewers) -> JSONResponse:
    services = services_of(request)

    def read() -> dict[str, Any]:
        with services.db.transaction() as s:
            return portfolio(s, services.clock.now())

    data = await run_in_threadpool(read)
    _ = i18n.translator(language(request))
    data["labels"] = {
        key: _(text)
        for key, text in (
            ("cases", "Cases"), ("recovery", "Recovery (%)"),
            ("kept", "Promises kept (%)"), ("promises", "Promises"), ("collected", "Collected"),
        )
    }  # fmt: skip
    return JSONResponse(data, headers=SECURITY_HEADERS)
