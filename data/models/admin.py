"""Tables of the admin API: SMS templates, uploaded strategies, edited dialogue scripts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class SmsTemplate(Base):
    """One SMS text per template name and language, with ``{variable}`` placeholders."""

    __tablename__ = "sms_templates"
    __table_args__ = (UniqueConstraint("name", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)
    variables: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class StoredStrategy(Base):
    """An uploaded strategy YAML, kept with the result of its validation."""

    __tablename__ = "strategies"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(Text)
    valid: Mapped[bool] = mapped_column(default=False)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class ScriptVersion(Base):
    """One saved version of a dialogue script in one language (versions only ever added)."""

    __tablename__ = "script_versions"
    __table_args__ = (UniqueConstraint("name", "language", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    version: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(200), default="")
    saved_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
