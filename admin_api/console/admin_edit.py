"""The admin pages' forms for users, agents (skills) and strategies: each calls the API's own
route function (``POST/PATCH /users``, ``POST/PATCH /agents``, ``POST /strategies``), so the
role checks, the last-admin rule, the validation and the audit records are the API's."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile as FormFile

from admin_api import schemas
from admin_api.console.admin import attempt, done, refused
from admin_api.console.session import check_csrf, page, services_of
from admin_api.roles import STAFF, Principal, Role
from admin_api.routers import agents, config, users

router = APIRouter()
Admin = Annotated[Principal, Depends(page(Role.ADMIN))]
Staff = Annotated[Principal, Depends(page(*STAFF))]
USER_FIELDS = ("username", "password", "role")
AGENT_FIELDS = ("display_name", "endpoint", "user_id", "languages", "products", "tiers", "capacity")
LISTS = ("languages", "products", "tiers")


def _text(form: Any, keys: tuple[str, ...]) -> dict[str, str]:
    return {k: str(form.get(k, "")).strip() for k in keys}


def _agent_body(draft: dict[str, str], *, new: bool) -> dict[str, Any]:
    """The form's text as the API's body: lists from comma-separated text, blanks left out
    (an edit: unchanged; a list left blank means "any")."""
    body: dict[str, Any] = {}
    for key, value in draft.items():
        if key in LISTS:
            body[key] = [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
        elif value:
            body[key] = value
    if not new:
        body.pop("user_id", None)
    return body


@router.post("/admin/users", dependencies=[Depends(check_csrf)])
async def create_user(request: Request, who: Admin) -> HTMLResponse:
    draft = _text(await request.form(), USER_FIELDS)
    services = services_of(request)
    errors = await attempt(
        lambda: users.create_user(schemas.UserIn.model_validate(draft), who, services)
    )
    draft.pop("password")  # never sent back to the page
    return refused(request, who, "users", errors, draft) if errors else done("users")


@router.post("/admin/users/{user_id}", dependencies=[Depends(check_csrf)])
async def update_user(request: Request, user_id: str, who: Admin) -> HTMLResponse:
    form = await request.form()
    body: dict[str, Any] = {"role": str(form.get("role", "")) or None}
    body["active"] = form.get("active") == "on"
    if str(form.get("password", "")):
        body["password"] = str(form.get("password"))
    services = services_of(request)
    errors = await attempt(
        lambda: users.update_user(user_id, schemas.UserPatch.model_validate(body), who, services)
    )
    return refused(request, who, "users", errors, {}) if errors else done("users")


@router.post("/admin/agents", dependencies=[Depends(check_csrf)])
async def create_agent(request: Request, who: Staff) -> HTMLResponse:
    draft = _text(await request.form(), AGENT_FIELDS)
    body = _agent_body(draft, new=True)
    services = services_of(request)
    errors = await attempt(
        lambda: agents.create_agent(schemas.AgentIn.model_validate(body), who, services)
    )
    return refused(request, who, "agents", errors, draft) if errors else done("agents")


@router.post("/admin/agents/{agent_id}", dependencies=[Depends(check_csrf)])
async def update_agent(request: Request, agent_id: str, who: Staff) -> HTMLResponse:
    draft = _text(await request.form(), AGENT_FIELDS)
    body = _agent_body(draft, new=False)
    services = services_of(request)
    errors = await attempt(
        lambda: agents.update_agent(
            agent_id, schemas.AgentPatch.model_validate(body), who, services
        )
    )
    draft["id"] = agent_id
    return refused(request, who, "agents", errors, draft) if errors else done("agents")


@router.post("/admin/strategies", dependencies=[Depends(check_csrf)])
async def upload_strategy(request: Request, who: Staff) -> HTMLResponse:
    """``POST /strategies``: kept even when invalid (its problems listed), as the API does."""
    upload = (await request.form()).get("file")
    if not isinstance(upload, FormFile) or not upload.filename:
        return refused(request, who, "strategies", ["choose a YAML file"], {})
    services = services_of(request)
    file = cast(UploadFile, upload)  # the API's type is Starlette's with FastAPI's docs
    errors = await attempt(lambda: config.upload_strategy(file, who, services))
    return refused(request, who, "strategies", errors, {}) if errors else done("strategies")
