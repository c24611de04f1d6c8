"""Accounts: writers, their hashed tokens, personal dictionaries, feedback events, local-file imports.

Revision ID: 0001_accounts
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_accounts"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the first schema."""
    op.create_table(
        "writers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.Column("revoked_at", _TIME, nullable=True),
        sa.UniqueConstraint("name", name="uq_writers_name"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("writer_id", sa.Integer, sa.ForeignKey("writers.id", ondelete="CASCADE",
                                                         name="fk_tokens_writer_id"), nullable=False),
        sa.Column("prefix", sa.String(32), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.Column("revoked_at", _TIME, nullable=True),
        sa.UniqueConstraint("prefix", name="uq_tokens_prefix"),
    )
    op.create_index("ix_tokens_writer_id", "tokens", ["writer_id"])
    op.create_table(
        "dictionary_words",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("writer_id", sa.Integer, sa.ForeignKey("writers.id", ondelete="CASCADE",
                                                         name="fk_dictionary_words_writer_id"), nullable=False),
        sa.Column("word", sa.String(256), nullable=False),
        sa.Column("word_key", sa.String(256), nullable=False),
        sa.Column("created", _TIME, nullable=False),
        sa.UniqueConstraint("writer_id", "word_key", name="uq_dictionary_words_writer_word"),
    )
    op.create_index("ix_dictionary_words_writer_id", "dictionary_words", ["writer_id"])
    op.create_table(
        "feedback_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("writer_id", sa.Integer, sa.ForeignKey("writers.id", ondelete="CASCADE",
                                                         name="fk_feedback_events_writer_id"), nullable=False),
        sa.Column("time", _TIME, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("suggestion", sa.JSON, nullable=False),
    )
    op.create_index("ix_feedback_events_writer_id", "feedback_events", ["writer_id"])
    op.create_table(
        "local_imports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("imported_at", _TIME, nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.UniqueConstraint("kind", "source", name="uq_local_imports_kind_source"),
    )


def downgrade() -> None:
    """Drop everything (an empty database)."""
    for table in ("local_imports", "feedback_events", "dictionary_words", "tokens", "writers"):
        op.drop_table(table)
