"""The admin pages: users and roles (admins), agents and skills, SMS templates, dialogue
scripts and strategies. Each list is the API's own route function; each form posts to a page
that calls the API's own route function (its checks, its audit record) and shows its refusal
next to the form, the draft kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from admin_api.console.render import PREFIX, render, see_other
from admin_api.console.session import check_csrf, page, services_of
from admin_api.errors import Conflict, NotFound, Unprocessable
from admin_api.roles import STAFF, Principal, Role
from admin_api.routers import agents, config, users

router = APIRouter()
Staff = Annotated[Principal, Depends(page(*STAFF))]


def context(request: Request, who: Principal) -> dict[str, Any]:
    services = services_of(request)
    return {
        "users": users.list_users(who, services) if who.role is Role.ADMIN else None,
        "agents": agents.list_agents(who, services),
        "templates": config.list_templates(who, services),
        "scripts": config.list_scripts(who, services),
        "strategies": config.list_strategies(who, services),
        "roles": [r.value for r in Role],
        "errors": {},
        "drafts": {},
    }


async def attempt(call: Callable[[], object]) -> list[str]:
    """Run an API call off the loop: [] when done, else the reasons it was refused."""
    try:
        await run_in_threadpool(call)
    except ValidationError as e:
        return [f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors()]
    except (Unprocessable, Conflict, NotFound) as e:
        return [str(e)]
    return []


def refused(
    request: Request, who: Principal, section: str, errors: list[str], draft: dict[str, Any]
) -> HTMLResponse:
    """The admin page again, 422, with ``section``'s form showing ``errors`` and ``draft``."""
    ctx = {**context(request, who), "errors": {section: errors}, "drafts": {section: draft}}
    return render(request, "admin.html", ctx, who=who, status=422)


def done(section: str) -> HTMLResponse:
    return see_other(f"{PREFIX}/admin?saved={section}#{section}")  # type: ignore[return-value]


@router.get("/admin")
def admin_page(request: Request, who: Staff) -> HTMLResponse:
    ctx = {**context(request, who), "saved": request.query_params.get("saved", "")}
    return render(request, "admin.html", ctx, who=who)


@router.post("/admin/templates", dependencies=[Depends(check_csrf)])
async def save_template(request: Request, who: Staff) -> HTMLResponse:
    """Create or replace an SMS template through ``PUT /sms/templates`` (its checks)."""
    form = await request.form()
    draft = {k: str(form.get(k, "")) for k in ("name", "language", "body")}
    services = services_of(request)
    errors = await attempt(
        lambda: config.put_template(config.TemplateIn.model_validate(draft), who, services)
    )
    return refused(request, who, "templates", errors, draft) if errors else done("templates")
