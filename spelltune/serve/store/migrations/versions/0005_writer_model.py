"""Writers get `model_spec`: the model their text is corrected with (a kept `spelltune adapt` run), or NULL for
the server's own model.

Revision ID: 0005_writer_model
Revises: 0004_drop_preferences
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_writer_model"
down_revision = "0004_drop_preferences"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column, NULL (the server's model) for every writer already there."""
    with op.batch_alter_table("writers") as batch:
        batch.add_column(sa.Column("model_spec", sa.Text, nullable=True))


def downgrade() -> None:
    """Back to 0004_drop_preferences: the column goes (writers go back to the server's model)."""
    with op.batch_alter_table("writers") as batch:
        batch.drop_column("model_spec")
