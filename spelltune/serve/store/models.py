"""The database tables, as SQLAlchemy 2 typed ORM classes: writers, their tokens and their own data.

Every row of a writer's data carries `writer_id`; nothing here is shared between writers. Tokens are
stored as a public `prefix` (to find the row) and the sha256 of the whole token, never the token itself.
Times are UTC. The schema changes only through a migration in `migrations/versions/`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAME_LENGTH = 64
WORD_LENGTH = 256


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back as an aware UTC datetime (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must carry a time zone")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    """The tables of one spelltune database."""

    # Constraint and index names as the migrations write them, so `alembic check` finds no difference.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
    })


class Writer(Base):
    """A person who writes through this server; revoked writers keep their name and data but cannot sign in."""

    __tablename__ = "writers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Grows by one in every transaction that changes this writer's feedback events: a server that built
    # something from the events (serve/writer_learning.py) knows it is current when this has not moved.
    feedback_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The model spec this writer's text is corrected with (an absolute path to a kept `spelltune adapt` run);
    # None: the server's own model (store/writer_model.py).
    model_spec: Mapped[str | None] = mapped_column(Text, default=None)


class Token(Base):
    """One writer's API token: found by its public `prefix`, checked against `token_hash` (sha256, hex)."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    writer_id: Mapped[int] = mapped_column(ForeignKey("writers.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class DictionaryWord(Base):
    """A word one writer never wants flagged; unique per writer without regard to case (`word_key`)."""

    __tablename__ = "dictionary_words"
    __table_args__ = (UniqueConstraint("writer_id", "word_key", name="uq_dictionary_words_writer_word"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    writer_id: Mapped[int] = mapped_column(ForeignKey("writers.id", ondelete="CASCADE"), index=True)
    word: Mapped[str] = mapped_column(String(WORD_LENGTH))
    word_key: Mapped[str] = mapped_column(String(WORD_LENGTH))  # word.casefold()
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class FeedbackEvent(Base):
    """One accept/reject decision on a suggestion, with the line it was made in.

    `original`, `replacement` and `context` repeat what `suggestion` holds, so learning can query them.
    """

    __tablename__ = "feedback_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    writer_id: Mapped[int] = mapped_column(ForeignKey("writers.id", ondelete="CASCADE"), index=True)
    time: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    decision: Mapped[str] = mapped_column(String(16))  # "accepted" or "rejected"
    sentence: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[dict] = mapped_column(JSON)
    original: Mapped[str] = mapped_column(Text, default="", server_default="")
    replacement: Mapped[str] = mapped_column(Text, default="", server_default="")
    context: Mapped[str] = mapped_column(Text, default="", server_default="")


class LocalImport(Base):
    """A local file (a feedback.jsonl) imported into the built-in local writer, recorded so it is imported once."""

    __tablename__ = "local_imports"
    __table_args__ = (UniqueConstraint("kind", "source", name="uq_local_imports_kind_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # "feedback"
    source: Mapped[str] = mapped_column(String(1024))  # the file's absolute path
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    items: Mapped[int] = mapped_column(Integer, default=0)
