"""attempt ledger state for the dialer

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contact_attempts") as batch:
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="done"))
        batch.add_column(sa.Column("worker", sa.String(64), nullable=True))
        batch.create_index("ix_contact_attempts_state", ["state"])


def downgrade() -> None:
    with op.batch_alter_table("contact_attempts") as batch:
        batch.drop_index("ix_contact_attempts_state")
        batch.drop_column("worker")
        batch.drop_column("state")
