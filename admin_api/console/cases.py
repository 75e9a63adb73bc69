"""Case pages: search, detail (masked per role, reveal audited), history, transcript,
recording, and the agent's wrap-up form.

Each page is the API's own reads (``case_reads.search``, ``case_reads.detail``,
``case_service.history``) with their scoping (an agent sees only their cases; another's is a
404, audited), masking and audit records; the wrap-up is ``wrapup.record``, the function
behind ``POST /cases/{id}/wrapup``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from admin_api import case_reads, case_service, wrapup
from admin_api.console.render import PREFIX, SECURITY_HEADERS, render, see_other
from admin_api.console.session import COOKIE, check_csrf, page, services_of
from admin_api.errors import Unprocessable
from admin_api.roles import ALL_ROLES, STAFF, Principal, Role

router = APIRouter()
Anyone = Annotated[Principal, Depends(page(*ALL_ROLES))]
Workers = Annotated[Principal, Depends(page(*STAFF, Role.AGENT))]
Text = Annotated[str | None, Query(max_length=64)]
PAGE = 25
RECORDING_TIMEOUT = 30.0


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


@router.get("/cases")
def search(
    request: Request,
    who: Anyone,
    status: Text = None,
    risk_tier: Text = None,
    product: Text = None,
    language: Text = None,
    dpd_min: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    dpd_max: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> HTMLResponse:
    f = case_service.CaseFilter(
        status=_blank(status),
        risk_tier=_blank(risk_tier),
        product=_blank(product),
        language=_blank(language),
        dpd_min=dpd_min,
        dpd_max=dpd_max,
    )
    services = services_of(request)
    with services.db.transaction() as s:
        found = case_reads.search(s, who, f, PAGE, offset)
    query = {k: v for k, v in request.query_params.items() if k != "offset"}
    context = {"page": found, "q": query, "size": PAGE}
    return render(request, "cases.html", context, who=who)


def transcript_lines(text: str | None) -> list[dict[str, str]]:
    """The stored transcript (JSON lines of at, speaker, text); [] when masked or absent."""
    if not text:
        return []
    try:
        lines = json.loads(text)
    except ValueError:
        return [{"at": "", "speaker": "", "text": text}]
    return [x for x in lines if isinstance(x, dict)] if isinstance(lines, list) else []


def _case_context(request: Request, who: Principal, case_id: str, reveal: bool) -> dict[str, Any]:
    services = services_of(request)
    with services.db.transaction() as s:
        detail, read = case_reads.detail(s, services.keyring, services.clock, who, case_id, reveal)
        history, read_history = case_service.history(
            s, services.keyring, services.clock, who, case_id, reveal
        )
    services.audit.write(read)  # committed before the personal data leaves, as in the API
    services.audit.write(read_history)
    attempts = [
        {"a": a, "lines": transcript_lines(a.transcript)} for a in reversed(history.attempts)
    ]
    return {
        "d": detail,
        "h": history,
        "attempts": attempts,
        "outcomes": wrapup.AGENT_OUTCOMES,
        "can_reveal": who.role in STAFF,
        "revealed": reveal and not detail.masked,
        "today": services.clock.now().date().isoformat(),
    }


@router.get("/cases/{case_id}")
def case_page(
    request: Request, case_id: str, who: Anyone, reveal: bool = False, done: str | None = None
) -> HTMLResponse:
    context = _case_context(request, who, case_id, reveal)
    flash = "Wrap-up recorded." if done else None
    return render(request, "case.html", {**context, "flash": flash}, who=who)


def _callback_at(value: str, tz: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(tz))
    except (ValueError, ZoneInfoNotFoundError) as e:
        raise Unprocessable("the callback time is not a date and time") from e


def wrapup_body(form: dict[str, str]) -> wrapup.WrapUpIn:
    """The wrap-up form as the endpoint's body (its validation, its messages)."""
    amount, due = form.get("amount", "").strip(), form.get("due_date", "").strip()
    raw: dict[str, Any] = {
        "outcome": form.get("outcome", ""),
        "promise": {"amount": amount, "due_date": due} if amount or due else None,
        "callback_at": _callback_at(form.get("callback_at", ""), form.get("tz", "UTC")),
        "note": form.get("note", "").strip() or None,
        "dispute_reason": form.get("dispute_reason", "").strip() or None,
        "call_id": form.get("call_id", "").strip() or None,
    }
    try:
        return wrapup.WrapUpIn.model_validate(raw)
    except ValidationError as e:
        messages = "; ".join(str(err["msg"]).removeprefix("Value error, ") for err in e.errors())
        raise Unprocessable(messages) from e


@router.post("/cases/{case_id}/wrapup", dependencies=[Depends(check_csrf)])
async def post_wrapup(request: Request, case_id: str, who: Workers) -> RedirectResponse:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    body = wrapup_body(form)
    services = services_of(request)

    def write() -> wrapup.WrapUpOut:
        with services.db.transaction() as s:
            return wrapup.record(s, services.keyring, services.clock, who, case_id, body)

    out = await run_in_threadpool(write)
    services.webhooks.emit("outcome", {"case_id": case_id, "outcome": out.outcome})
    return see_other(f"{PREFIX}/cases/{case_id}?done={out.attempt_id}#history")


@router.get("/cases/{case_id}/attempts/{attempt_id}/recording")
async def recording(request: Request, case_id: str, attempt_id: str, who: Anyone) -> Response:
    """The API's recording endpoint, called in-process with this session's token (its role
    check and audit record apply); 404 while it has no recording to give."""
    api = request.app.state.api
    headers = {"Authorization": f"Bearer {request.cookies.get(COOKIE, '')}"}
    if "range" in request.headers:
        headers["Range"] = request.headers["range"]
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://console") as client:
        r = await client.get(
            f"/cases/{case_id}/attempts/{attempt_id}/recording",
            headers=headers,
            timeout=RECORDING_TIMEOUT,
        )
    keep = ("content-type", "content-range", "accept-ranges", "content-length")
    passed = {k: v for k, v in r.headers.items() if k.lower() in keep}
    if r.status_code >= 400:
        return Response(status_code=r.status_code, headers=SECURITY_HEADERS)
    return Response(r.content, status_code=r.status_code, headers={**SECURITY_HEADERS, **passed})
