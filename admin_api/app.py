"""The FastAPI application: routers, the one error handler, the webhook sender's lifetime."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import BaseRoute

from admin_api import console
from admin_api.audit_writer import AuditUnavailable
from admin_api.body_limit import BodyLimit
from admin_api.errors import ApiError, NotAuthenticated, RefusedRead
from admin_api.followups import FollowUps
from admin_api.json_guard import JsonGuard, validation_error
from admin_api.planned_sms import PlannedSms
from admin_api.promise_checks import PromiseChecks
from admin_api.request_metrics import RequestMetrics
from admin_api.rounds import every
from admin_api.routers import (
    agent_desk,
    agents,
    audit_log,
    auth,
    campaigns,
    cases,
    config,
    early_warnings,
    health,
    live,
    portfolios,
    qa,
    recordings,
    reports,
    scripts,
    sms_receipts,
    users,
)
from admin_api.services import Services
from core.errors import CollectBotError
from core.logging import get_logger
from data import audit
from data.db import DATABASE_UNAVAILABLE
from data.recordings import purge_expired

log = get_logger(__name__)
PUBLIC_PATHS = frozenset(
    {
        "/auth/token",
        "/health",
        "/health/live",
        "/health/ready",
        "/metrics",
        "/sms/receipts",
        "/docs",
        "/docs/oauth2-redirect",
        "/redoc",
        "/openapi.json",
    }
)

ROUTERS = tuple(
    m.router
    for m in (
        auth,
        cases,
        recordings,
        agents,
        users,
        campaigns,
        portfolios,
        config,
        scripts,
        reports,
        sms_receipts,
        audit_log,
        live,
        health,
        qa,
        agent_desk,
        early_warnings,
    )
)


def all_routes(app: FastAPI) -> list[BaseRoute]:
    """Every route the app serves (its own and those of the included routers)."""
    own = [r for r in app.routes if isinstance(r, APIRoute | APIWebSocketRoute)]
    return own + [r for router in ROUTERS for r in router.routes]


def _audit_refusal(request: Request, exc: RefusedRead) -> None:
    token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    record_refusal(request.app.state.services, token, exc, request.method)


def record_refusal(services: Services, token: str, exc: RefusedRead, method: str) -> None:
    """Record who tried to read what they may not (the answer stays a plain 404)."""
    try:
        principal = services.tokens.verify(token)
    except NotAuthenticated:
        return
    record = audit.Record(
        at=services.clock.now(),
        actor=principal.actor,
        action="access.refused",
        subject_type=exc.subject_type,
        subject_id=exc.subject_id,
        details={"role": principal.role.value, "method": method},
    )
    try:
        services.audit.write(record)
    except AuditUnavailable:  # nothing was disclosed: the 404 goes out all the same
        log.error("audit.refusal_not_recorded", subject_id=exc.subject_id)


def _error(request: Request, exc: Exception) -> JSONResponse:
    # a domain error raised by lower layers: the request cannot be served as it is
    status = exc.status_code if isinstance(exc, ApiError) else 422
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthenticated) else None
    if status >= 500:
        log.error("api.error", path=request.url.path, error=type(exc).__name__)
    if isinstance(exc, RefusedRead):
        _audit_refusal(request, exc)
    return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)


async def _purge_recordings(services: Services) -> None:
    """One round of the recordings' retention (also ``collectbot recordings purge``)."""
    await to_thread.run_sync(
        lambda: purge_expired(
            services.db, services.recordings, now=services.clock.now(),
            retention_days=services.recording_retention_days, actor="system:retention",
        )
    )  # fmt: skip


def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.error("api.database_unavailable", path=request.url.path, error=type(exc).__name__)
    return JSONResponse(
        {"detail": "the database is unavailable; try again shortly"},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def create_app(services: Services) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = services.settings.threadpool
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(services.webhooks.run())]
            if services.settings.followup_interval > 0:
                followups = FollowUps(services).run(services.settings.followup_interval)
                tasks.append(tg.create_task(followups))
            if services.settings.sms_steps_interval > 0:
                steps = PlannedSms.configured(services).run(services.settings.sms_steps_interval)
                tasks.append(tg.create_task(steps))
            if services.settings.recordings_purge_interval > 0:
                every_s = services.settings.recordings_purge_interval
                purge = every(
                    every_s, lambda: _purge_recordings(services), "recordings.purge_failed"
                )
                tasks.append(tg.create_task(purge))
            if services.settings.promise_check_interval > 0:
                checks = PromiseChecks(PlannedSms.configured(services))
                tasks.append(tg.create_task(checks.run(services.settings.promise_check_interval)))
            yield
            for task in tasks:
                task.cancel()
        services.audit.close()

    docs = services.settings.serve_docs  # off in production unless API_DOCS=true
    app = FastAPI(
        title="CollectBot admin API",
        version="0.1.0",
        lifespan=lifespan,
        description="Supervisors, agents, auditors and admins. OAuth2 password flow → JWT.",
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.services = services
    app.add_exception_handler(CollectBotError, _error)
    app.add_exception_handler(RequestValidationError, validation_error)
    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _database_unavailable)
    app.add_middleware(JsonGuard)
    # outside the JSON guard (added last = runs first): no body past the limit is read at all
    app.add_middleware(BodyLimit, limit=services.settings.max_upload_mb << 20)
    app.add_middleware(RequestMetrics, metrics=services.metrics)
    for router in ROUTERS:
        app.include_router(router)
    console.mount(app, services, record_refusal)
    return app
