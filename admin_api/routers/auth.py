"""OAuth2 password flow: username + password → a short-lived JWT. Login is rate-limited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select

from admin_api.deps import get_services, require
from admin_api.errors import NotAuthenticated, TooManyAttempts
from admin_api.roles import ALL_ROLES, Principal, Role
from admin_api.schemas import TokenOut
from admin_api.services import Services
from core.logging import get_logger
from data import audit
from data.models import Agent, User

router = APIRouter(prefix="/auth", tags=["auth"])
log = get_logger(__name__)
Svc = Annotated[Services, Depends(get_services)]


@router.post("/token", response_model=TokenOut)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, services: Svc
) -> TokenOut:
    ip = request.client.host if request.client else "unknown"
    # the key is bounded: a megabyte of username must not cost the limiter a megabyte
    name = form.username.lower()[:128]
    # per address first, then the username's own bucket: guesses spread over rotating
    # addresses still drain it (the username is locked until it refills, right password or not)
    if not services.login_limiter.allow(f"{name}|{ip}") or not services.username_limiter.allow(
        f"user|{name}"
    ):
        log.warning("auth.rate_limited", **{"pii.username": form.username, "pii.ip": ip})
        raise TooManyAttempts("too many login attempts; wait a minute")
    with services.db.transaction() as s:
        user = s.scalar(select(User).where(User.username == form.username))
        ok = services.passwords.verify(user.password_hash if user else None, form.password)
        if user is None or not ok or not user.active:
            log.info("auth.failed", **{"pii.username": form.username})
            raise NotAuthenticated("wrong username or password")
        agent_id = s.scalar(select(Agent.id).where(Agent.user_id == user.id))
        principal = Principal(user.id, user.username, Role(user.role), agent_id)
        audit.append(
            s,
            at=services.clock.now(),
            actor=principal.actor,
            action="auth.login",
            subject_type="user",
            subject_id=user.id,
        )
    token = services.tokens.issue(principal)
    return TokenOut(
        access_token=token,
        expires_in=int(services.tokens.lifetime.total_seconds()),
        role=principal.role.value,
    )


@router.get("/me")
def me(who: Annotated[Principal, Depends(require(*ALL_ROLES))]) -> dict[str, str | None]:
    return {
        "user_id": who.user_id,
        "username": who.username,
        "role": who.role.value,
        "agent_id": who.agent_id,
    }
