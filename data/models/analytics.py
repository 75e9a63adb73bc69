"""Call QA results: one row per scored call attempt, with the reviewer's verdict."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
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


class CaseAnalytics(Base):
    """Per case: its behaviour segment and its early-warning score (rewritten by each run)."""

    __tablename__ = "case_analytics"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    segment: Mapped[str | None] = mapped_column(String(8), index=True)
    segment_name: Mapped[str | None] = mapped_column(String(200))
    segmented_at: Mapped[datetime | None]
    segment_recovery: Mapped[float | None] = mapped_column(Float)  # the segment's, at that run
    previous_segment_name: Mapped[str | None] = mapped_column(String(200))  # the run before
    previous_recovery: Mapped[float | None] = mapped_column(Float)
    warning_score: Mapped[float | None] = mapped_column(Float, index=True)
    warning_kind: Mapped[str | None] = mapped_column(String(16))  # roll | broken_promise
    warning_reasons: Mapped[list[Any] | None] = mapped_column(JSON)
    warned_at: Mapped[datetime | None]
