"""Writers get `feedback_revision`: it grows with every change to their feedback events, so a server can
tell whether what it learned from them is still current (replicas included).

Revision ID: 0003_feedback_revision
Revises: 0002_learning
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_feedback_revision"
down_revision = "0002_learning"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column, 0 for every writer already there."""
    with op.batch_alter_table("writers") as batch:
        batch.add_column(sa.Column("feedback_revision", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    """Back to 0002_learning: the column goes."""
    with op.batch_alter_table("writers") as batch:
        batch.drop_column("feedback_revision")
