"""The model a writer's text is corrected with: a spec in `writers.model_spec`, set when `spelltune adapt --writer`
keeps an adapter for them, shown and cleared by `spelltune writers model`. None means the server's own model.

A server reads it on every request (`writer_model_spec`, one primary-key lookup), so replicas sharing the
database agree on which model serves whom.
"""

from __future__ import annotations

from sqlalchemy import select, update

from spelltune.errors import AccountError
from spelltune.serve.store.accounts import normalize_name
from spelltune.serve.store.database import Store
from spelltune.serve.store.models import Writer


def writer_model_spec(store: Store, writer_id: int) -> str | None:
    """The model spec of the writer with this id; None for the server's own model (or no such writer)."""
    with store.session() as session:
        return session.scalar(select(Writer.model_spec).where(Writer.id == writer_id))


def writer_model(store: Store, name: str) -> str | None:
    """The model spec of the writer `name`; None for the server's own model. AccountError for an unknown writer."""
    name = normalize_name(name)
    with store.session() as session:
        row = session.execute(select(Writer.model_spec).where(Writer.name == name)).first()
    if row is None:
        raise AccountError(f"no writer named {name!r} (see `spelltune writers list`)")
    return row[0]


def _set(store: Store, name: str, spec: str | None) -> str | None:
    name = normalize_name(name)
    with store.session() as session:
        row = session.execute(select(Writer.id, Writer.model_spec).where(Writer.name == name)).first()
        if row is None:
            raise AccountError(f"no writer named {name!r} (see `spelltune writers list`)")
        session.execute(update(Writer).where(Writer.id == row[0]).values(model_spec=spec))
        return row[1]


def set_writer_model(store: Store, name: str, spec: str) -> str | None:
    """Correct the writer `name`'s text with `spec` from now on; returns the spec they had (None: the server's)."""
    spec = spec.strip()
    if not spec:
        raise AccountError("an empty model spec: give a model folder (a kept `spelltune adapt` run) or a preset name")
    return _set(store, name, spec)


def clear_writer_model(store: Store, name: str) -> str | None:
    """Correct the writer `name`'s text with the server's own model again; returns the spec they had."""
    return _set(store, name, None)
