"""``collectbot serve-api`` (the admin API under uvicorn) and ``collectbot users add|list``."""

from __future__ import annotations

import os
from typing import Annotated, TypedDict

import typer
import uvicorn
from sqlalchemy import select

from admin_api.roles import Role
from admin_api.security import Passwords
from admin_api.settings import ApiSettings
from cli.context import AppContext
from core.ids import new_id
from data import audit
from data.models import User

users_app = typer.Typer(help="Users of the admin API (create the first admin here).")


def serve_api(
    host: Annotated[str | None, typer.Option(help="bind address (API_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (API_PORT)")] = None,
    workers: Annotated[int | None, typer.Option(help="processes (API_WORKERS)")] = None,
) -> None:
    """Run the admin API (OpenAPI docs at /docs in development)."""
    settings = ApiSettings()  # refuses development secrets in production
    settings.check_bind(host or settings.host)
    ctx = AppContext.build()  # refuses a missing data key, a clock offset … in production
    ctx.keyring  # noqa: B018 - a bad key stops here, before uvicorn starts
    ctx.db  # noqa: B018 - migrate once before the workers start
    if workers:  # the worker processes read their settings (and warnings) from the environment
        os.environ["API_WORKERS"] = str(workers)
    uvicorn.run(
        "admin_api.main:app_from_environment",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        **server_options(settings),
    )


class ServerOptions(TypedDict):
    log_level: str
    access_log: bool
    proxy_headers: bool
    forwarded_allow_ips: list[str]
    ssl_certfile: str | None
    ssl_keyfile: str | None


def server_options(settings: ApiSettings) -> ServerOptions:
    """uvicorn's options from the API's settings, the same for ``serve-api`` and ``serve``:
    X-Forwarded-* believed only from API_TRUSTED_PROXIES (none by default), TLS when set."""
    return ServerOptions(
        log_level="warning",
        access_log=False,
        proxy_headers=bool(settings.proxy_list),
        forwarded_allow_ips=settings.proxy_list,
        ssl_certfile=settings.tls_cert or None,
        ssl_keyfile=settings.tls_key or None,
    )


def save_user(
    ctx: AppContext,
    settings: ApiSettings,
    username: str,
    role: Role,
    password: str,
    *,
    actor: str,
    reset_password: bool = False,
) -> str | None:
    """Create a user (audited ``user.create``) and return its id. An existing user gets the new
    password when ``reset_password`` (audited ``user.password_reset``), else None is returned."""
    hashed = Passwords(
        memory_kib=settings.argon2_memory_kib, time_cost=settings.argon2_time_cost
    ).hash(password)
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is not None and not reset_password:
            return None
        action = "user.password_reset"
        if user is None:
            user = User(
                id=new_id("usr"), username=username, role=role.value, active=True,
                password_hash=hashed, created_at=now,
            )  # fmt: skip
            s.add(user)
            s.flush()
            action = "user.create"
        user.password_hash = hashed
        audit.append(
            s, at=now, actor=actor, action=action, subject_type="user", subject_id=user.id,
            details={"role": user.role},
        )  # fmt: skip
        return user.id


@users_app.command("add")
def add_user(
    username: str,
    role: Annotated[Role, typer.Option(help="admin|supervisor|agent|auditor")],
    password_env: Annotated[
        str, typer.Option(help="read the password from this environment variable")
    ] = "COLLECTBOT_NEW_PASSWORD",  # noqa: S107 - a variable name
) -> None:
    """Create a user; the password comes from $COLLECTBOT_NEW_PASSWORD or a hidden prompt."""
    password = os.environ.get(password_env) or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    if len(password) < 12:
        raise typer.BadParameter("the password needs at least 12 characters")
    ctx = AppContext.build()
    user_id = save_user(ctx, ApiSettings(), username, role, password, actor="cli")
    if user_id is None:
        typer.echo(f"user {username!r} exists", err=True)
        raise typer.Exit(1)
    typer.echo(f"created {role.value} {username} ({user_id})")


@users_app.command("list")
def list_users() -> None:
    ctx = AppContext.build()
    with ctx.db.transaction() as s:
        for u in s.scalars(select(User).order_by(User.username)):
            typer.echo(f"{u.username}\t{u.role}\t{'active' if u.active else 'disabled'}")


def register(app: typer.Typer) -> None:
    app.command("serve-api")(serve_api)
    app.add_typer(users_app, name="users")
