"""Signing in and out, the language switch, and the home page that sends each role on."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.security import OAuth2PasswordRequestForm

from admin_api.console import i18n
from admin_api.console.render import PREFIX, render, see_other
from admin_api.console.session import (
    COOKIE,
    LANG_COOKIE,
    LoginRequired,
    check_csrf,
    page,
    same_origin,
    services_of,
)
from admin_api.errors import NotAuthenticated, TooManyAttempts
from admin_api.roles import ALL_ROLES, Principal, Role
from admin_api.routers import auth

router = APIRouter()
Anyone = Annotated[Principal, Depends(page(*ALL_ROLES))]
LANG_MAX_AGE = 365 * 24 * 3600


def home_of(who: Principal) -> str:
    return f"{PREFIX}/desk" if who.role is Role.AGENT else f"{PREFIX}/dashboard"


@router.get("/")
def home(who: Anyone) -> RedirectResponse:
    return see_other(home_of(who))


@router.get("/login")
def login_form(request: Request) -> HTMLResponse:
    try:
        who = page(*ALL_ROLES).from_cookie(request)
    except LoginRequired:
        return render(request, "login.html")
    return see_other(home_of(who))  # type: ignore[return-value]


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=1024)],
) -> HTMLResponse:
    """The API's own login (rate limit, audit); its token goes into the session cookie."""
    services = services_of(request)
    _ = i18n.translator(request.cookies.get(LANG_COOKIE, "en"))
    if not same_origin(request):
        return render(request, "login.html", {"error": _("Sign-in refused.")}, status=403)
    form = OAuth2PasswordRequestForm(username=username, password=password)
    try:
        token = auth.login(form, request, services)
    except TooManyAttempts:
        error = _("Too many attempts; wait a minute.")
        return render(request, "login.html", {"error": error, "username": username}, status=429)
    except NotAuthenticated:
        error = _("Wrong username or password.")
        return render(request, "login.html", {"error": error, "username": username}, status=401)
    who = services.tokens.verify(token.access_token)
    response = see_other(home_of(who))
    response.set_cookie(
        COOKIE,
        token.access_token,
        max_age=token.expires_in,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https" or services.settings.production,
    )
    return response  # type: ignore[return-value]


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(who: Anyone) -> RedirectResponse:
    response = see_other(f"{PREFIX}/login")
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, next: str = "/console/") -> RedirectResponse:
    """Remember the language; back to the page (only a path of this console)."""
    target = urlsplit(next)
    safe = not target.scheme and not target.netloc and next.startswith(PREFIX + "/")
    response = see_other(next if safe else f"{PREFIX}/")
    if code in i18n.LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=LANG_MAX_AGE, path="/", samesite="strict")
    return response
