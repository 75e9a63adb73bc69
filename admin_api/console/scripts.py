"""Editing a dialogue script: its YAML in a text box, the API's checks (the YAML's line and
column when it does not parse), its numbered versions; ``PUT /scripts/{name}/{language}``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from admin_api.console.admin import attempt
from admin_api.console.render import PREFIX, render, see_other
from admin_api.console.session import check_csrf, page, services_of
from admin_api.roles import STAFF, Principal
from admin_api.routers import scripts

router = APIRouter()
Staff = Annotated[Principal, Depends(page(*STAFF))]
Name = scripts.Name
Language = scripts.Language


def _context(request: Request, who: Principal, name: str, language: str) -> dict[str, Any]:
    services = services_of(request)
    current = scripts.get_script(name, language, who, services)
    wanted = request.query_params.get("version", "")
    shown = current
    if wanted.isdigit() and int(wanted) != current.version:
        shown = scripts.get_version(name, language, int(wanted), who, services)
    return {
        "name": name,
        "language": language,
        "current": current,
        "shown": shown,
        "source": shown.source,
        "versions": scripts.list_versions(name, language, who, services),
        "errors": [],
        "saved": request.query_params.get("saved", ""),
    }


@router.get("/admin/scripts/{name}/{language}")
def script_page(request: Request, name: Name, language: Language, who: Staff) -> HTMLResponse:
    return render(request, "script.html", _context(request, who, name, language), who=who)


@router.post("/admin/scripts/{name}/{language}", dependencies=[Depends(check_csrf)])
async def save_script(request: Request, name: Name, language: Language, who: Staff) -> HTMLResponse:
    form = await request.form()
    source = str(form.get("source", "")).replace("\r\n", "\n")
    note = str(form.get("note", ""))[:200]
    services = services_of(request)

    def save() -> None:
        body = scripts.ScriptIn.model_validate({"source": source, "note": note})
        scripts.save_script(name, language, body, who, services)

    errors = await attempt(save)
    if not errors:
        url = f"{PREFIX}/admin/scripts/{name}/{language}?saved=1"
        return see_other(url)  # type: ignore[return-value]
    context = {**_context(request, who, name, language), "errors": errors, "source": source}
    context["note"] = note
    return render(request, "script.html", context, who=who, status=422)
