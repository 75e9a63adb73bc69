"""The web console: server-rendered pages (Jinja2 + htmx + Chart.js) served by the admin API.

``mount`` puts the console's own FastAPI app under ``/console`` (``/`` redirects there). Its
pages read and write through the API's own functions with the same role guard (the session
cookie carries the API's token), so there is no second path to the data. See docs/console.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.routing import Route

from admin_api.console import (
    admin,
    admin_edit,
    board,
    cases,
    desk,
    entry,
    live_board,
    portfolio,
    reports,
    scripts,
)
from admin_api.console.live_board import BoardFeed
from admin_api.console.render import PREFIX, SECURITY_HEADERS, render, see_other
from admin_api.console.session import COOKIE, LoginRequired
from admin_api.errors import ApiError, Forbidden, RefusedRead
from admin_api.services import Services
from core.errors import CollectBotError
from core.logging import get_logger

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "frontend" / "node_modules"
# the only files of the npm packages the pages load (installed by `npm ci`, see the Makefile)
VENDOR = {
    "htmx.min.js": "htmx.org/dist/htmx.min.js",
    "chart.umd.js": "chart.js/dist/chart.umd.js",
}
ROUTERS = (
    entry.router,
    board.router,
    live_board.router,
    portfolio.router,
    cases.router,
    desk.router,
    reports.router,
    admin.router,
    admin_edit.router,
    scripts.router,
)
log = get_logger(__name__)
Refusal = Callable[[Services, str, RefusedRead, str], None]


def _vendor(request: Request) -> Response:
    name = request.path_params["name"]
    relative = VENDOR.get(name)
    path = NODE_MODULES / relative if relative else None
    if path is None or not path.is_file():
        if relative:
            log.error("console.asset_missing", asset=name)  # `make install` runs npm ci
        return Response("not found", status_code=404)
    headers = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}
    return FileResponse(path, media_type="text/javascript", headers=headers)


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {403: "Not allowed", 404: "Not found", 409: "Not possible now", 422: "Not valid"}
    context = {"status": status, "title": titles.get(status, "Error"), "message": message}
    return render(request, "error.html", context, status=status)


def build(services: Services, on_refusal: Refusal) -> FastAPI:
    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console.state.services = services
    console.state.board_feed = BoardFeed(lambda: board.snapshot(services), board.BOARD_SECONDS)
    for router in ROUTERS:
        console.include_router(router)
    console.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    console.router.routes.append(Route("/vendor/{name}", _vendor))

    async def login_required(request: Request, exc: Exception) -> Response:
        if request.headers.get("hx-request"):  # htmx follows this header, not a 303
            return Response(status_code=204, headers={"HX-Redirect": f"{PREFIX}/login"})
        response = see_other(f"{PREFIX}/login")
        response.delete_cookie(COOKIE, path="/")
        return response

    async def api_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, ApiError) else 422
        if isinstance(exc, RefusedRead):
            on_refusal(services, request.cookies.get(COOKIE, ""), exc, request.method)
        return _error_page(request, status, str(exc))

    async def invalid(request: Request, exc: Exception) -> Response:
        """A request (or a form turned into an API body) the schema refuses: 422, its reasons."""
        errors = exc.errors() if isinstance(exc, RequestValidationError | ValidationError) else []
        text = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return _error_page(request, 422, text)

    console.add_exception_handler(LoginRequired, login_required)
    console.add_exception_handler(Forbidden, api_error)
    console.add_exception_handler(CollectBotError, api_error)
    console.add_exception_handler(RequestValidationError, invalid)
    console.add_exception_handler(ValidationError, invalid)
    return console


def mount(app: FastAPI, services: Services, on_refusal: Refusal) -> None:
    """``/console`` → the console; ``/`` → a redirect to it."""
    console = build(services, on_refusal)
    console.state.api = app  # the recording player calls the API's own endpoint in-process

    async def root(_request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=307, headers=SECURITY_HEADERS)

    app.router.routes.append(Route("/", root))
    app.mount(PREFIX, console)
