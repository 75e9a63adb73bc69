"""Rendering a console page: the Jinja2 environment, the language, the CSRF token, errors."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from admin_api.console import i18n
from admin_api.console.session import COOKIE, LANG_COOKIE, csrf_token, services_of
from admin_api.roles import Principal, Role

TEMPLATES = Path(__file__).resolve().parent / "templates"
PREFIX = "/console"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",)),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["P"] = PREFIX
    return env


def language(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "")
    return lang if lang in i18n.LANGUAGES else "en"


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    who: Principal | None = None,
    status: int = 200,
) -> HTMLResponse:
    html = render_text(request, template, context, who=who)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def render_text(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    who: Principal | None = None,
) -> str:
    """A template rendered for this request (its language, session, CSRF token)."""
    lang = language(request)
    token = request.cookies.get(COOKIE)
    ctx: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "_": i18n.translator(lang),
        "who": who,
        "is_staff": who is not None and who.role in (Role.ADMIN, Role.SUPERVISOR),
        "csrf": csrf_token(services_of(request), token) if token and who else "",
        "path": request.url.path,
        **(context or {}),
    }
    return environment().get_template(template).render(ctx)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)


# every script, style and connection is our own origin's; no framing
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
        "base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
