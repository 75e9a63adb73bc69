"""analytics: call QA scores and findings per attempt, with the reviewer's verdict; per case
its behaviour segment and early-warning score

Revision ID: analytics_call_qa
Revises: 0004_scoring
Create Date: 2026-12-06 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "analytics_call_qa"
down_revision: str | None = "0004_scoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "call_qa",
        sa.Column("attempt_id", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("call_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("script_version", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("finding_count", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=True),
        sa.Column("reviewer", sa.String(length=64), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["contact_attempts.id"],
            name=op.f("fk_call_qa_attempt_id_contact_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_call_qa_case_id_cases")),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_call_qa")),
    )
    for column in ("case_id", "call_at", "script_version", "finding_count"):
        op.create_index(op.f(f"ix_call_qa_{column}"), "call_qa", [column], unique=False)
    op.create_table(
        "case_analytics",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("segment", sa.String(length=8), nullable=True),
        sa.Column("segment_name", sa.String(length=200), nullable=True),
        sa.Column("segmented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("warning_score", sa.Float(), nullable=True),
        sa.Column("warning_kind", sa.String(length=16), nullable=True),
        sa.Column("warning_reasons", sa.JSON(), nullable=True),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_analytics_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_analytics")),
    )
    for column in ("segment", "warning_score"):
        op.create_index(
            op.f(f"ix_case_analytics_{column}"), "case_analytics", [column], unique=False
        )


def downgrade() -> None:
    for column in ("segment", "warning_score"):
        op.drop_index(op.f(f"ix_case_analytics_{column}"), table_name="case_analytics")
    op.drop_table("case_analytics")
    for column in ("case_id", "call_at", "script_version", "finding_count"):
        op.drop_index(op.f(f"ix_call_qa_{column}"), table_name="call_qa")
    op.drop_table("call_qa")
