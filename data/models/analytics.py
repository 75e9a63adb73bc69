"""Call QA results: one row per scored call attempt, with the reviewer's verdict."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data.models.base import Base


class CallQa(Base):
    __tablename__ = "call_qa"

    attempt_id: Mapped[str] = mapped_column(
        ForeignKey("contact_attempts.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    call_at: Mapped[datetime] = mapped_column(index=True)  # the attempt's start
    scored_at: Mapped[datetime]
    score: Mapped[int] = mapped_column(Integer)
    script_version: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(2))
    findings: Mapped[list[Any]] = mapped_column(JSON)  # [{"code", "severity", "at_s", "evidence"}]
    finding_count: Mapped[int] = mapped_column(Integer, index=True)
    verdict: Mapped[str | None] = mapped_column(String(16))  # confirmed|rejected|coaching
    reviewer: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(String(500))
