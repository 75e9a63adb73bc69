"""Users and roles (admin only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin_api import schemas
from admin_api.deps import get_services, require
from admin_api.errors import Conflict, NotFound
from admin_api.roles import Principal, Role
from admin_api.services import Services
from core.ids import new_id
from data import audit
from data.models import User

router = APIRouter(prefix="/users", tags=["users"])
Svc = Annotated[Services, Depends(get_services)]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]


def _out(u: User) -> schemas.UserOut:
    return schemas.UserOut(
        id=u.id, username=u.username, role=u.role, active=u.active, created_at=u.created_at
    )


@router.get("", response_model=list[schemas.UserOut])
def list_users(who: Admin, services: Svc) -> list[schemas.UserOut]:
    with services.db.transaction() as s:
        return [_out(u) for u in s.scalars(select(User).order_by(User.username))]


@router.post("", response_model=schemas.UserOut, status_code=201)
def create_user(body: schemas.UserIn, who: Admin, services: Svc) -> schemas.UserOut:
    with services.db.transaction() as s:
        if s.scalar(select(User.id).where(User.username == body.username)):
            raise Conflict(f"user {body.username!r} exists")
        user = User(
            id=new_id("usr"),
            username=body.username,
            password_hash=services.passwords.hash(body.password),
            role=body.role,
            active=True,
            created_at=services.clock.now(),
        )
        s.add(user)
        s.flush()
        audit.append(
            s,
            at=services.clock.now(),
            actor=who.actor,
            action="user.create",
            subject_type="user",
            subject_id=user.id,
            details={"role": body.role},
        )
        return _out(user)


def _keep_an_admin(s: Session, leaving: str) -> None:
    """Refuse to disable or demote the last active admin (nobody could manage users then)."""
    admins = s.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN.value, User.active.is_(True))
        .order_by(User.id)
        .with_for_update()  # every admin row, in one order: two demotions at once serialise
    ).all()
    if not [a for a in admins if a != leaving]:
        raise Conflict("this is the last active admin: create or enable another admin first")


@router.patch("/{user_id}", response_model=schemas.UserOut)
def update_user(
    user_id: str, body: schemas.UserPatch, who: Admin, services: Svc
) -> schemas.UserOut:
    with services.db.transaction() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id!r}")
        demoted = body.role is not None and body.role != Role.ADMIN.value
        if user.role == Role.ADMIN.value and user.active and (demoted or body.active is False):
            _keep_an_admin(s, user.id)
        if body.password is not None:
            user.password_hash = services.passwords.hash(body.password)
        if body.role is not None:
            user.role = body.role
        if body.active is not None:
            user.active = body.active
        fields = sorted(body.model_dump(exclude_none=True))
        audit.append(
            s,
            at=services.clock.now(),
            actor=who.actor,
            action="user.update",
            subject_type="user",
            subject_id=user.id,
            details={"fields": fields},
        )
        return _out(user)
