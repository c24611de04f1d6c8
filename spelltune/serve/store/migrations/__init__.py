"""Alembic migrations of spelltune's database (env.py; one file a revision in versions/)."""
