"""RBAC matrix: every route of the app declares its roles, and refuses every other role.

The routes are enumerated from the app itself, so a new route without a role guard (or a
guard that lets a wrong role through) fails here. 401 without a token, 403 with a wrong role.
"""

from __future__ import annotations

import re

import api_fixtures
import pytest
from api_fixtures import ROLES, Api
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.websockets import WebSocketDisconnect

from admin_api.app import PUBLIC_PATHS, all_routes
from admin_api.deps import RoleGuard

sqlite_api = api_fixtures.sqlite_api
ALL = set(ROLES)


def guards(dep: Dependant) -> list[RoleGuard]:
    found = [dep.call] if isinstance(dep.call, RoleGuard) else []
    for sub in dep.dependencies:
        found.extend(guards(sub))
    return found


def concrete(path: str) -> str:
    """Fill path parameters with values that exist nowhere (the guard runs before lookups)."""
    path = path.replace("{action}", "start")
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_route_declares_exactly_one_role_guard(sqlite_api: Api) -> None:
    seen = 0
    for route in all_routes(sqlite_api.client.app):  # type: ignore[arg-type]
        if not isinstance(route, APIRoute | APIWebSocketRoute):
            continue
        found = guards(route.dependant)
        if route.path in PUBLIC_PATHS:
            assert not found, f"{route.path} is public but has a guard"
            continue
        assert len(found) == 1, f"{route.path} declares {len(found)} role guards"
        assert found[0].roles, route.path
        seen += 1
    assert seen >= 30


def http_routes(api: Api) -> list[tuple[str, str, frozenset[str]]]:
    out = []
    for route in all_routes(api.client.app):  # type: ignore[arg-type]
        if isinstance(route, APIRoute) and route.path not in PUBLIC_PATHS:
            (guard,) = guards(route.dependant)
            for method in sorted(route.methods or ()):
                out.append((method, concrete(route.path), frozenset(str(r) for r in guard.roles)))
    return out


def test_http_routes_refuse_missing_tokens_and_wrong_roles(sqlite_api: Api) -> None:
    api = sqlite_api
    checked = 0
    for method, path, allowed in http_routes(api):
        r = api.client.request(method, path)
        assert r.status_code == 401, (method, path, r.status_code, r.text)
        assert r.headers.get("www-authenticate") == "Bearer"
        bad = api.client.request(method, path, headers={"Authorization": "Bearer not.a.jwt"})
        assert bad.status_code == 401, (method, path)
        for role in ROLES:
            r = api.client.request(method, path, headers=api.headers(role))
            if role in allowed:
                assert r.status_code not in (401, 403), (method, path, role, r.text)
            else:
                assert r.status_code == 403, (method, path, role, r.status_code, r.text)
            checked += 1
    assert checked >= 120


def test_users_are_admin_only_and_auditors_cannot_change_anything(sqlite_api: Api) -> None:
    routes = {(m, p): roles for m, p, roles in http_routes(sqlite_api)}
    assert routes[("GET", "/users")] == {"admin"}
    assert routes[("POST", "/users")] == {"admin"}
    # early warnings: staff and auditors read all, agents their own cases (test_api_warnings)
    assert routes[("GET", "/warnings")] == {"admin", "supervisor", "agent", "auditor"}
    for (method, path), roles in routes.items():
        if method != "GET" and path != "/auth/token":
            assert "auditor" not in roles, (method, path)


@pytest.mark.parametrize("path", ["/live/agent", "/live/supervisor"])
def test_websockets_refuse_missing_tokens_and_wrong_roles(sqlite_api: Api, path: str) -> None:
    api = sqlite_api
    app = api.client.app
    route = next(
        r
        for r in all_routes(app)  # type: ignore[arg-type]
        if isinstance(r, APIWebSocketRoute) and r.path == path
    )
    (guard,) = guards(route.dependant)
    with pytest.raises(WebSocketDisconnect) as closed, api.client.websocket_connect(path):
        pass
    assert closed.value.code == 1008
    for role in ALL - set(guard.roles):
        url = f"{path}?token={api.tokens[role]}"
        with pytest.raises(WebSocketDisconnect) as closed, api.client.websocket_connect(url):
            pass
        assert closed.value.code == 1008, role
