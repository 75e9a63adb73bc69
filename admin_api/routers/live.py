"""Live websockets: the agent console (screen-pops, transcripts) and supervisor figures.

Browsers cannot set headers on a websocket, so the JWT travels as ``?token=``. A missing or
bad token closes with 1008 (policy violation) before anything is sent.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

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
    """Forward every message of ``topics`` (and live figures) until the client goes away."""
    await websocket.accept()
    async with asyncio.TaskGroup() as tg:
        for topic in topics:
            tg.create_task(_forward(websocket, services.hub, topic))
        if figures:
            tg.create_task(_figures_loop(websocket, services))
        tg.create_task(_until_closed(websocket))


class _Closed(Exception):
    pass


async def _forward(websocket: WebSocket, hub: Hub, topic: str) -> None:
    async with hub.subscribe(topic) as sub:
        while True:
            message = await sub.get()
            try:
                await websocket.send_json(message)
            except (WebSocketDisconnect, RuntimeError) as e:
                raise _Closed from e


def _running_figures(services: Services) -> list[dict[str, object]]:
    with services.db.transaction() as s:
        running = s.scalars(select(Campaign).where(Campaign.status.in_(("running", "paused"))))
        return [figures(s, c).model_dump(mode="json") for c in running]


async def _figures_loop(websocket: WebSocket, services: Services) -> None:
    """Every ``API_LIVE_INTERVAL`` seconds: the figures of every running or paused campaign."""
    while True:
        rows = await asyncio.to_thread(_running_figures, services)
        try:
            await websocket.send_json({"type": "campaign.figures", "campaigns": rows})
        except (WebSocketDisconnect, RuntimeError) as e:
            raise _Closed from e
        await asyncio.sleep(services.settings.live_interval)


async def _until_closed(websocket: WebSocket) -> None:
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect as e:
        raise _Closed from e


def _services(websocket: WebSocket) -> Services:
    services: Services = websocket.app.state.services
    return services


@router.websocket("/agent")
async def agent_console(
    websocket: WebSocket, who: Annotated[Principal, Depends(ws_require(Role.AGENT))]
) -> None:
    if who.agent_id is None:
        raise WebSocketException(WS_1008_POLICY_VIOLATION, "this user is not an agent")
    try:
        await _pump(websocket, _services(websocket), [agent_topic(who.agent_id)])
    except* _Closed:
        pass


@router.websocket("/supervisor")
async def supervisor_board(
    websocket: WebSocket, who: Annotated[Principal, Depends(ws_require(*STAFF))]
) -> None:
    try:
        await _pump(websocket, _services(websocket), [SUPERVISOR_TOPIC], figures=True)
    except* _Closed:
        pass
