"""Alembic's environment for spelltune's database: run by `migrate.upgrade` on a connection it opened.

There is no alembic.ini: `migrate.alembic_config` points Alembic here and hands over the connection.
"""

from __future__ import annotations

from alembic import context

from spelltune.serve.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
