"""Live websockets: the agent console (screen-pops, transcripts) and supervisor figures.

Browsers cannot set headers on a websocket, so the JWT travels as ``?token=``. A missing or
bad token closes with 1008 (policy violation) before anything is sent.
"""

from __future__ import annotations

from typing import Annotated

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, WebSocket, WebSocketDisconnect, WebSocketException
from sqlalchemy import select
from starlette.status import WS_1008_POLICY_VIOLATION

from admin_api.deps import RoleGuard, require, ws_principal
from admin_api.errors import ApiError
from admin_api.hub import SUPERVISOR_TOPIC, Hub, agent_topic
from admin_api.roles import STAFF, Principal, Role
from admin_api.routers.campaigns import figures
from admin_api.services import Services
from data.models import Campaign

router = APIRouter(prefix="/live", tags=["live"])


class WsGuard(RoleGuard):
    """The websocket form of the role guard (same ``roles``; token from the query string)."""

    def __call__(self, websocket: WebSocket) -> Principal:  # type: ignore[override]
        try:
            return ws_principal(websocket, self)
        except ApiError as e:
            raise WebSocketException(WS_1008_POLICY_VIOLATION, str(e)) from e


def ws_require(*roles: Role) -> WsGuard:
    return WsGuard(require(*roles).roles)


async def _pump(
    websocket: WebSocket, services: Services, topics: list[str], *, figures: bool = False
) -> None:
    """Forward every message of ``topics`` (and live figures) until the client goes away.

    An anyio task group (Starlette's own concurrency) owns the tasks; whichever side notices
    the disconnect cancels the group, so no exception is left to unwind.
    """
    await websocket.accept()
    async with anyio.create_task_group() as tg:
        for topic in topics:
            tg.start_soon(_forward, websocket, services.hub, topic, tg.cancel_scope)
        if figures:
            tg.start_soon(_figures_loop, websocket, services, tg.cancel_scope)
        tg.start_soon(_until_closed, websocket, tg.cancel_scope)


async def _forward(websocket: WebSocket, hub: Hub, topic: str, scope: anyio.CancelScope) -> None:
    async with hub.subscribe(topic) as sub:
        while True:
            message = await sub.get()
            if not await _send(websocket, message, scope):
                return


async def _send(websocket: WebSocket, message: dict[str, object], scope: anyio.CancelScope) -> bool:
    try:
        await websocket.send_json(message)
    except (WebSocketDisconnect, RuntimeError):
        scope.cancel()
        return False
    return True


def _running_figures(services: Services) -> list[dict[str, object]]:
    with services.db.transaction() as s:
        running = s.scalars(select(Campaign).where(Campaign.status.in_(("running", "paused"))))
        return [figures(s, c).model_dump(mode="json") for c in running]


async def _figures_loop(websocket: WebSocket, services: Services, scope: anyio.CancelScope) -> None:
    """Every ``API_LIVE_INTERVAL`` seconds: the figures of every running or paused campaign."""
    while True:
        rows = await anyio.to_thread.run_sync(_running_figures, services)
        if not await _send(websocket, {"type": "campaign.figures", "campaigns": rows}, scope):
            return
        await anyio.sleep(services.settings.live_interval)


async def _until_closed(websocket: WebSocket, scope: anyio.CancelScope) -> None:
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        scope.cancel()


def _services(websocket: WebSocket) -> Services:
    services: Services = websocket.app.state.services
    return services


@router.websocket("/agent")
async def agent_console(
    websocket: WebSocket, who: Annotated[Principal, Depends(ws_require(Role.AGENT))]
) -> None:
    if who.agent_id is None:
        raise WebSocketException(WS_1008_POLICY_VIOLATION, "this user is not an agent")
    await _pump(websocket, _services(websocket), [agent_topic(who.agent_id)])


@router.websocket("/supervisor")
async def supervisor_board(
    websocket: WebSocket, who: Annotated[Principal, Depends(ws_require(*STAFF))]
) -> None:
    await _pump(websocket, _services(websocket), [SUPERVISOR_TOPIC], figures=True)
