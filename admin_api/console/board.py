"""The supervisor's pages: the dashboard (live board, charts, agents) and campaigns.

Every action calls the API's own route function (``routers.campaigns``): the same checks,
state machine, audit record and live event as ``POST /campaigns/{id}/{action}``.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from admin_api import campaign_schemas as cs
from admin_api.console import campaign_form, day, i18n
from admin_api.console.live_board import feed_of
from admin_api.console.render import PREFIX, SECURITY_HEADERS, language, render, see_other
from admin_api.console.session import check_csrf, page, services_of
from admin_api.roles import STAFF, Principal, Role
from admin_api.routers import campaigns
from admin_api.services import Services

router = APIRouter()
Viewers = Annotated[Principal, Depends(page(*STAFF, Role.AUDITOR))]
Staff = Annotated[Principal, Depends(page(*STAFF))]
BOARD_SECONDS = 3


def snapshot(services: Services) -> dict[str, object]:
    """The live part of the dashboard, read once for every viewer (see ``live_board``)."""
    now = services.clock.now()
    with services.db.transaction() as s:
        campaign_rows = day.todays_campaigns(s, now)
        agent_rows = day.agents(s, now)
        return {
            "campaigns": campaign_rows,
            "agents": agent_rows,
            "lines": day.lines(s, campaign_rows, agent_rows),
            "updated": now.strftime("%H:%M:%S"),
            "today": now.date().isoformat(),
            "interval": BOARD_SECONDS,
        }


async def _board(request: Request, *, fresh: bool = False) -> dict[str, object]:
    """A snapshot read now (``fresh``: a page just opened, maybe after an action) or at most
    half a period old (shared with the live stream's viewers)."""
    age = 0 if fresh else BOARD_SECONDS / 2
    return await feed_of(request).latest(time.monotonic() - age)


@router.get("/dashboard")
async def dashboard(request: Request, who: Viewers) -> HTMLResponse:
    return render(request, "dashboard.html", await _board(request, fresh=True), who=who)


@router.get("/dashboard/board")
async def board(request: Request, who: Viewers) -> HTMLResponse:
    """The live part alone: what the stream pushes, for the polling fallback."""
    return render(request, "_board.html", await _board(request), who=who)


@router.get("/dashboard/charts.json")
def charts(request: Request, who: Viewers) -> JSONResponse:
    services = services_of(request)
    with services.db.transaction() as s:
        data = day.charts(s, services.clock.now())
    _ = i18n.translator(language(request))
    data["labels"] = {name: _(name) for name in data["outcomes"]}
    return JSONResponse(data, headers=SECURITY_HEADERS)


@router.post("/campaigns/{campaign_id}/{action}", dependencies=[Depends(check_csrf)])
def campaign_action(
    request: Request, campaign_id: str, action: cs.Action, who: Staff
) -> RedirectResponse:
    campaigns.change_state(campaign_id, action, who, services_of(request))
    return see_other(f"{PREFIX}/dashboard")


def _form_page(
    request: Request, who: Principal, values: dict[str, object], errors: list[str], status: int
) -> HTMLResponse:
    context = {**campaign_form.choices(), "values": values, "errors": errors}
    return render(request, "campaign_new.html", context, who=who, status=status)


@router.get("/campaigns/new")
def new_campaign(request: Request, who: Staff) -> HTMLResponse:
    return _form_page(request, who, {}, [], 200)


@router.post("/campaigns", dependencies=[Depends(check_csrf)])
async def create_campaign(request: Request, who: Staff) -> HTMLResponse:
    form = await request.form()
    multi = {k: [str(v) for v in form.getlist(k)] for k in ("status", "risk_tiers", "languages")}
    single = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
    body, errors = campaign_form.parse(single, multi)
    if body is None:
        return _form_page(request, who, {**single, **multi}, errors, 422)
    services = services_of(request)
    created = await run_in_threadpool(campaigns.create_campaign, body, who, services)
    return see_other(f"{PREFIX}/dashboard#c-{created.id}")  # type: ignore[return-value]
