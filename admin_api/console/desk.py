"""The agent's desk: the queue of assigned cases with follow-ups due, the screen-pop of a
transferred call (the agent's live topic over a websocket), and from there the case's wrap-up.

The queue is ``routers.agent_desk.queue`` (``GET /desk/queue``). The websocket is the API's
``/live/agent`` pump, authenticated by the session cookie instead of ``?token=`` (a page cannot
read its HttpOnly cookie), and only from a page of this origin.
"""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketException
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.status import WS_1008_POLICY_VIOLATION

from admin_api import schemas
from admin_api.console.render import PREFIX, render, see_other
from admin_api.console.session import PageGuard, check_csrf, same_origin, services_of
from admin_api.errors import ApiError
from admin_api.hub import agent_topic
from admin_api.roles import Principal, Role
from admin_api.routers import agent_desk, agents, live
from admin_api.schemas import AgentStatus
from data import models

router = APIRouter()
QUEUE_LIMIT = 200


class WsPageGuard(PageGuard):
    """The websocket form of the page guard: closes with 1008 before anything is sent."""

    async def __call__(self, websocket: WebSocket) -> Principal:  # type: ignore[override]
        if not same_origin(websocket):
            raise WebSocketException(WS_1008_POLICY_VIOLATION, "another origin")
        try:
            who = self.from_cookie(websocket)
        except ApiError as e:
            raise WebSocketException(WS_1008_POLICY_VIOLATION, str(e)) from e
        if who.agent_id is None:
            raise WebSocketException(WS_1008_POLICY_VIOLATION, "this user is not an agent")
        return who


Agent = Annotated[Principal, Depends(PageGuard(frozenset({Role.AGENT})))]


def _queue(request: Request, who: Principal) -> agent_desk.Queue:
    services = services_of(request)
    target = agent_desk.queue_agent(who, None)
    with services.db.transaction() as s:
        return agent_desk.queue(s, target, services.clock.now(), QUEUE_LIMIT)


@router.get("/desk")
def desk(request: Request, who: Agent) -> HTMLResponse:
    services = services_of(request)
    with services.db.transaction() as s:
        agent = s.get(models.Agent, who.agent_id or "")
        state = agent.status if agent is not None else "offline"
    context = {"queue": _queue(request, who), "state": state, "states": get_args(AgentStatus)}
    return render(request, "desk.html", context, who=who)


@router.post("/desk/state", dependencies=[Depends(check_csrf)])
async def set_state(request: Request, who: Agent) -> RedirectResponse:
    """The agent's own state (available, paused…): the API's ``PUT /agents/{id}/status``."""
    status = (await request.form()).get("status")
    body = schemas.AgentStatusIn.model_validate({"status": status})
    services = services_of(request)
    await run_in_threadpool(agents.set_status, who.agent_id or "", body, who, services)
    return see_other(f"{PREFIX}/desk")


@router.get("/desk/queue")
def desk_queue(request: Request, who: Agent) -> HTMLResponse:
    return render(request, "_queue.html", {"queue": _queue(request, who)}, who=who)


@router.websocket("/live/agent")
async def agent_live(
    websocket: WebSocket,
    who: Annotated[Principal, Depends(WsPageGuard(frozenset({Role.AGENT})))],
) -> None:
    services = services_of(websocket)
    await live._pump(websocket, services, [agent_topic(who.agent_id or "")])
