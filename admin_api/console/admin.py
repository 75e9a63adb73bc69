"""The admin pages: users and roles (admins), agents and skills, SMS templates (edit with the
API's validation), dialogue scripts and strategies. Each list is the API's own route function."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from admin_api.console.render import PREFIX, render, see_other
from admin_api.console.session import check_csrf, page, services_of
from admin_api.errors import Unprocessable
from admin_api.roles import STAFF, Principal, Role
from admin_api.routers import agents, config, users

router = APIRouter()
Staff = Annotated[Principal, Depends(page(*STAFF))]


def _context(request: Request, who: Principal) -> dict[str, Any]:
    services = services_of(request)
    return {
        "users": users.list_users(who, services) if who.role is Role.ADMIN else None,
        "agents": agents.list_agents(who, services),
        "templates": config.list_templates(who, services),
        "scripts": config.list_scripts(who, services),
        "strategies": config.list_strategies(who, services),
        "errors": [],
        "draft": {},
    }


@router.get("/admin")
def admin_page(request: Request, who: Staff) -> HTMLResponse:
    return render(request, "admin.html", _context(request, who), who=who)


@router.post("/admin/templates", dependencies=[Depends(check_csrf)])
async def save_template(request: Request, who: Staff) -> HTMLResponse:
    """Create or replace an SMS template through ``PUT /sms/templates`` (its checks)."""
    form = await request.form()
    draft = {k: str(form.get(k, "")) for k in ("name", "language", "body")}
    try:
        body = config.TemplateIn.model_validate(draft)
        await run_in_threadpool(config.put_template, body, who, services_of(request))
    except ValidationError as e:
        errors = [f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors()]
    except Unprocessable as e:
        errors = [str(e)]
    else:
        return see_other(f"{PREFIX}/admin#templates")  # type: ignore[return-value]
    context = {**_context(request, who), "errors": errors, "draft": draft}
    return render(request, "admin.html", context, who=who, status=422)
