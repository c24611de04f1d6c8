"""Per-writer state in a database (SQLAlchemy 2, Alembic migrations): writers and their hashed tokens,
personal dictionaries and feedback events (what those teach is rebuilt from them: serve/learning.py).

`open_store(url)` opens SQLite (the default, in the user data directory) or PostgreSQL (for replicas
sharing one database) and upgrades it to the newest schema. One module per job: `accounts` (writers,
tokens), `writer_model` (the model a writer's text is corrected with), `dictionary`, `feedback`, `writer_data` (export, erase), `legacy_import` (the
single-user files of earlier versions).
"""

from spelltune.serve.store.database import Store, default_database_url, open_store

__all__ = ["Store", "default_database_url", "open_store"]
