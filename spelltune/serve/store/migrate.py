"""Bring a database's schema up to date with the migrations shipped in `migrations/` (Alembic, no alembic.ini).

A new migration for developers: change `models.py`, then
`python -c "from spelltune.serve.store.migrate import new_revision; new_revision('what changed')"`
against a database at head, and read the generated file in `migrations/versions/` before committing it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Replicas starting together against one PostgreSQL database migrate one at a time (an arbitrary key).
_POSTGRES_MIGRATION_LOCK = 7_146_332_051


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for spelltune's migrations, running on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration's revision id."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision `engine`'s database is at; None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to `revision` that the database does not have yet (nothing if it is there)."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to `revision` ("base": an empty database)."""
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def new_revision(message: str, engine: Engine) -> None:
    """Write a new migration file from the difference between `models.py` and `engine`'s database."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
