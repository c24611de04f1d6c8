"""Writers and their tokens: add, list, revoke, issue a new token, and find the writer a token belongs to.

The built-in writer `local` has no token: it is the one person of a server on loopback with no writers
(single-user mode), and holds what was imported from the local files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spelltune.errors import AccountError
from spelltune.serve.store.database import Store
from spelltune.serve.store.models import NAME_LENGTH, Token, Writer, utc_now
from spelltune.serve.store.tokens import issue_token, token_matches, token_prefix

LOCAL_WRITER = "local"
_NAME = re.compile(r"[a-z0-9][a-z0-9._@+-]*")


@dataclass(frozen=True)
class WriterInfo:
    """A writer as listed: name, when added, when revoked (None: active), how many tokens still work, the model
    their text is corrected with (None: the server's)."""

    id: int
    name: str
    created: datetime
    revoked_at: datetime | None
    active_tokens: int
    model_spec: str | None = None


def normalize_name(name: str) -> str:
    """`name` in lowercase, or AccountError when it is not letters, digits and `. _ @ + -` (64 at most)."""
    cleaned = name.strip().lower()
    if not cleaned or len(cleaned) > NAME_LENGTH or not _NAME.fullmatch(cleaned):
        raise AccountError(f"not a valid writer name: {name[:NAME_LENGTH]!r} (use letters, digits and . _ @ + -, "
                           f"at most {NAME_LENGTH} characters, e.g. ann or ann@school.example)")
    return cleaned


def _find(session: Session, name: str) -> Writer:
    writer = session.scalar(select(Writer).where(Writer.name == name))
    if writer is None:
        raise AccountError(f"no writer named {name!r} (see `spelltune writers list`)")
    return writer


def _new_token(session: Session, writer: Writer) -> str:
    issued = issue_token()
    session.add(Token(writer_id=writer.id, prefix=issued.prefix, token_hash=issued.token_hash))
    return issued.token


def add_writer(store: Store, name: str) -> tuple[Writer, str]:
    """Add a writer; returns it and its token (shown once: only its hash is kept)."""
    name = normalize_name(name)
    if name == LOCAL_WRITER:
        raise AccountError(f"{LOCAL_WRITER!r} is the built-in single-user writer; choose another name")
    try:
        with store.session() as session:
            writer = Writer(name=name)
            session.add(writer)
            session.flush()
            token = _new_token(session, writer)
    except IntegrityError:
        raise AccountError(f"a writer named {name!r} already exists (revoked writers keep their name)") from None
    return writer, token


def new_token(store: Store, name: str) -> str:
    """A new token for an active writer; their earlier tokens stop working."""
    name = normalize_name(name)
    with store.session() as session:
        writer = _find(session, name)
        if writer.revoked_at is not None or name == LOCAL_WRITER:
            raise AccountError(f"{name!r} is revoked or built in and cannot have a token")
        session.execute(update(Token).where(Token.writer_id == writer.id, Token.revoked_at.is_(None))
                        .values(revoked_at=utc_now()))
        return _new_token(session, writer)


def revoke_writer(store: Store, name: str) -> Writer:
    """Revoke a writer and every token of theirs (their data stays until erased)."""
    name = normalize_name(name)
    with store.session() as session:
        writer = _find(session, name)
        if writer.revoked_at is not None:
            raise AccountError(f"{name!r} is already revoked")
        now = utc_now()
        writer.revoked_at = now
        session.execute(update(Token).where(Token.writer_id == writer.id, Token.revoked_at.is_(None))
                        .values(revoked_at=now))
        return writer


def find_writer(store: Store, name: str) -> Writer:
    """The writer named `name` (revoked or not); AccountError when there is none."""
    with store.session() as session:
        return _find(session, normalize_name(name))


def list_writers(store: Store) -> list[WriterInfo]:
    """Every writer but the built-in one, by name."""
    active = (select(Token.writer_id, func.count().label("tokens")).where(Token.revoked_at.is_(None))
              .group_by(Token.writer_id).subquery())
    query = (select(Writer, func.coalesce(active.c.tokens, 0)).outerjoin(active, active.c.writer_id == Writer.id)
             .where(Writer.name != LOCAL_WRITER).order_by(Writer.name))
    with store.session() as session:
        return [WriterInfo(writer.id, writer.name, writer.created, writer.revoked_at, tokens, writer.model_spec)
                for writer, tokens in session.execute(query)]


def accounts_configured(store: Store) -> bool:
    """Whether any writer (besides the built-in one) is active: then every call needs a token."""
    with store.session() as session:
        return session.scalar(select(Writer.id).where(Writer.name != LOCAL_WRITER, Writer.revoked_at.is_(None))
                              .limit(1)) is not None


def local_writer(store: Store) -> Writer:
    """The built-in single-user writer, made on first use."""
    with store.session() as session:
        writer = session.scalar(select(Writer).where(Writer.name == LOCAL_WRITER))
        if writer is not None:
            return writer
    try:
        with store.session() as session:
            writer = Writer(name=LOCAL_WRITER)
            session.add(writer)
        return writer
    except IntegrityError:  # another process made it meanwhile
        with store.session() as session:
            return _find(session, LOCAL_WRITER)


def writer_for_token(store: Store, token: str) -> Writer | None:
    """The active writer `token` belongs to; None for an unknown, malformed or revoked token."""
    prefix = token_prefix(token)
    if prefix is None:
        return None
    with store.session() as session:
        row = session.execute(select(Token, Writer).join(Writer, Writer.id == Token.writer_id)
                              .where(Token.prefix == prefix)).first()
        if row is None:
            return None
        stored, writer = row
        if not token_matches(token, stored.token_hash):
            return None
        if stored.revoked_at is not None or writer.revoked_at is not None:
            return None
        return writer
