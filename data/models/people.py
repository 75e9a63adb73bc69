"""Agents and users (with roles)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base

ROLES = ("admin", "supervisor", "agent", "auditor")
AGENT_STATUSES = ("available", "on_call", "wrap_up", "paused", "offline")


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class Agent(Base):
    __tablename__ = "agents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    display_name: Mapped[str] = mapped_column(String(120))
    endpoint: Mapped[str] = mapped_column(String(120))  # e.g. PJSIP/agent-1
    languages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    products: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tiers: Mapped[list[Any]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=50)
    status: Mapped[str] = mapped_column(String(16), default="offline")
    status_since: Mapped[datetime | None]  # when ``status`` last changed (time in state)
    created_at: Mapped[datetime]
