"""Learning: feedback events get queryable original/replacement/context columns; a preferences table.

Existing events are backfilled from their `suggestion` JSON and `sentence`.

Revision ID: 0002_learning
Revises: 0001_accounts
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0002_learning"
down_revision = "0001_accounts"
branch_labels = None
depends_on = None

_BATCH = 500
# A frozen copy of store.feedback.change_context: a migration must not change when the code does.
_WORD = re.compile(r"\S+")


def _context(sentence: str, offset: object, length: object) -> str:
    if not isinstance(offset, int) or not isinstance(length, int) or not 0 <= offset <= offset + length <= len(sentence):
        return ""
    words = [(m.start(), m.end()) for m in _WORD.finditer(sentence)]
    before = [start for start, end in words if end <= offset]
    after = [end for start, end in words if start >= offset + length]
    start = before[-1] if before else offset
    end = after[0] if after else offset + length
    return sentence[start:end]


def upgrade() -> None:
    """Add the columns, fill them for the events already there, add the preferences table."""
    with op.batch_alter_table("feedback_events") as batch:
        batch.add_column(sa.Column("original", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("replacement", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("context", sa.Text, nullable=False, server_default=""))
    events = sa.table("feedback_events", sa.column("id", sa.Integer), sa.column("sentence", sa.Text),
                      sa.column("suggestion", sa.JSON), sa.column("original", sa.Text),
                      sa.column("replacement", sa.Text), sa.column("context", sa.Text))
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(sa.select(events.c.id, events.c.sentence, events.c.suggestion)
                                  .where(events.c.id > last_id).order_by(events.c.id).limit(_BATCH)).all()
        if not rows:
            break
        for row in rows:
            suggestion = row.suggestion if isinstance(row.suggestion, dict) else {}
            original, replacement = suggestion.get("original"), suggestion.get("replacement")
            connection.execute(events.update().where(events.c.id == row.id).values(
                original=original if isinstance(original, str) else "",
                replacement=replacement if isinstance(replacement, str) else "",
                context=_context(row.sentence, suggestion.get("offset"), suggestion.get("length"))))
        last_id = rows[-1].id
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


def downgrade() -> None:
    """Back to 0001_accounts: the preferences and the added columns go."""
    op.drop_table("preferences")
    with op.batch_alter_table("feedback_events") as batch:
        batch.drop_column("context")
        batch.drop_column("replacement")
        batch.drop_column("original")
