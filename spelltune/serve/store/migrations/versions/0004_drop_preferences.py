"""The `preferences` table goes: what a writer's feedback teaches is rebuilt from their feedback events
(serve/learning.py), so a second copy could only disagree with them. The server never filled it.

Revision ID: 0004_drop_preferences
Revises: 0003_feedback_revision
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_drop_preferences"
down_revision = "0003_feedback_revision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the table and its index."""
    op.drop_index("ix_preferences_writer_id", table_name="preferences")
    op.drop_table("preferences")


def downgrade() -> None:
    """Back to 0003_feedback_revision: the table as 0002_learning made it, empty."""
    op.create_table(
        "preferences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("writer_id", sa.Integer, sa.ForeignKey("writers.id", ondelete="CASCADE",
                                                         name="fk_preferences_writer_id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("original", sa.String(256), nullable=False),
        sa.Column("replacement", sa.String(256), nullable=False),
        sa.Column("context", sa.String(256), nullable=False, server_default=""),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("writer_id", "kind", "original", "replacement", "context",
                            name="uq_preferences_writer_change"),
    )
    op.create_index("ix_preferences_writer_id", "preferences", ["writer_id"])
