"""The console's session: the API's own JWT in an HttpOnly, SameSite=Strict cookie.

A page declares ``page(Role.…)``: the same role guard as the API's routes (``RoleGuard.check``
verifies the token and the role), fed from the cookie instead of the Authorization header.
Without a valid token the browser is sent to the login page. Form posts carry a CSRF token (an
HMAC of the session token under the API's JWT secret), and the request's Origin, when the
browser sends one, must be this host: the SameSite cookie already keeps other sites' posts out,
the token covers browsers that do not honour it.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import cast

from fastapi import Request, WebSocket

from admin_api.deps import RoleGuard
from admin_api.errors import ApiError, Forbidden, NotAuthenticated
from admin_api.roles import Principal, Role
from admin_api.services import Services

COOKIE = "cb_session"
LANG_COOKIE = "cb_lang"
CSRF_FIELD = "csrf"


class LoginRequired(ApiError):
    """No valid session: the page redirects to the login form."""

    status_code = 401


def services_of(request: Request | WebSocket) -> Services:
    return cast(Services, request.app.state.services)


def csrf_token(services: Services, session_token: str) -> str:
    key = services.settings.jwt_secret.get_secret_value().encode()
    return hmac.new(key, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def same_origin(request: Request | WebSocket) -> bool:
    """The Origin header, when present, names this host (scheme aside: a proxy may end TLS)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1].rstrip("/") == host


class PageGuard(RoleGuard):
    """``Depends(page(Role.SUPERVISOR, …))`` on a console page (roles read by the matrix test)."""

    def from_cookie(self, request: Request | WebSocket) -> Principal:
        token = request.cookies.get(COOKIE)
        try:
            return self.check(services_of(request), token)
        except NotAuthenticated as e:
            raise LoginRequired(str(e)) from e

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        return self.from_cookie(request)


def page(*roles: Role) -> PageGuard:
    if not roles:
        raise ValueError("a page must name at least one role")
    return PageGuard(frozenset(roles))


async def check_csrf(request: Request) -> None:
    """Refuse (403) a form post without this session's CSRF token or from another origin."""
    token = request.cookies.get(COOKIE, "")
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = csrf_token(services_of(request), token)
    if not same_origin(request) or not isinstance(sent, str):
        raise Forbidden("the form did not come from this console")
    if not hmac.compare_digest(sent, expected):
        raise Forbidden("the form did not come from this console")
