"""Roles and the authenticated principal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    AGENT = "agent"
    AUDITOR = "auditor"


ALL_ROLES = frozenset(Role)
STAFF = (Role.ADMIN, Role.SUPERVISOR)


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    username: str
    role: Role
    agent_id: str | None = None

    @property
    def actor(self) -> str:
        return f"user:{self.username}"
