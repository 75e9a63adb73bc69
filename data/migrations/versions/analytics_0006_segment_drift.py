"""analytics: each case's segment recovery rate and the one before it (segment drift)

Revision ID: analytics_segment_drift
Revises: analytics_call_qa
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "analytics_segment_drift"
down_revision: str | None = "analytics_call_qa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_analytics", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segment_recovery", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("previous_segment_name", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("previous_recovery", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_analytics", schema=None) as batch_op:
        batch_op.drop_column("previous_recovery")
        batch_op.drop_column("previous_segment_name")
        batch_op.drop_column("segment_recovery")
