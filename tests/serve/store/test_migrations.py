"""The shipped migrations on real databases: from empty to head, from the first schema with data in it, and
the ORM models agreeing with what the migrations build."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from spelltune.errors import DatabaseError
from spelltune.serve.store import accounts, migrate, open_store, tokens
from spelltune.serve.store.database import create_database_engine
from spelltune.serve.store.dictionary import dictionary_words
from spelltune.serve.store.feedback import feedback_events, feedback_revision
from spelltune.serve.store.models import Base
from spelltune.serve.store.writer_model import set_writer_model, writer_model_spec


def test_an_empty_database_is_brought_to_head_and_matches_the_models(database_url):
    store = open_store(database_url)
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision() == "0005_writer_model"
        with store.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        store.close()
    again = open_store(database_url)  # opening a database at head changes nothing
    assert migrate.current_revision(again.engine) == "0005_writer_model"
    again.close()


def test_a_database_made_at_the_first_revision_keeps_its_data_through_the_upgrade(database_url):
    engine = create_database_engine(database_url)
    migrate.upgrade(engine, "0001_accounts")
    issued = tokens.issue_token()
    when = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    meta = sa.MetaData()
    meta.reflect(engine)
    writers, token_table, words, events = (meta.tables[name] for name in
                                           ("writers", "tokens", "dictionary_words", "feedback_events"))
    assert "original" not in events.c and "preferences" not in meta.tables
    with engine.begin() as connection:
        connection.execute(writers.insert(), [{"id": 1, "name": "ann", "created": when},
                                              {"id": 2, "name": "bob", "created": when}])
        connection.execute(token_table.insert(), {"writer_id": 1, "prefix": issued.prefix,
                                                  "token_hash": issued.token_hash, "created": when})
        connection.execute(words.insert(), {"writer_id": 1, "word": "Jhon", "word_key": "jhon", "created": when})
        connection.execute(events.insert(), [
            {"writer_id": 1, "time": when, "decision": "accepted", "sentence": "So I teh cat",
             "suggestion": {"offset": 5, "length": 3, "original": "teh", "replacement": "the"}},
            {"writer_id": 2, "time": when, "decision": "rejected", "sentence": "odd", "suggestion": {"value": 3}},
        ])
    engine.dispose()

    store = open_store(database_url)
    try:
        assert migrate.current_revision(store.engine) == "0005_writer_model"
        assert feedback_revision(store, 1) == 0  # writers that were there start at 0
        assert accounts.writer_for_token(store, issued.token).name == "ann"
        assert dictionary_words(store, 1) == ["Jhon"]
        [event] = feedback_events(store, 1)
        assert (event.original, event.replacement, event.context) == ("teh", "the", "I teh cat")
        assert event.time == when and event.suggestion["offset"] == 5
        [odd] = feedback_events(store, 2)
        assert (odd.original, odd.replacement, odd.context, odd.suggestion) == ("", "", "", {"value": 3})
        assert "preferences" not in sa.inspect(store.engine).get_table_names()  # 0004 dropped it
        assert writer_model_spec(store, 1) is None and writer_model_spec(store, 2) is None  # the server's model
    finally:
        store.close()


def test_writers_at_0004_keep_their_data_and_get_no_model_of_their_own(database_url):
    engine = create_database_engine(database_url)
    migrate.upgrade(engine, "0004_drop_preferences")
    when = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    meta = sa.MetaData()
    meta.reflect(engine)
    writers, events = meta.tables["writers"], meta.tables["feedback_events"]
    assert "model_spec" not in writers.c
    with engine.begin() as connection:
        connection.execute(writers.insert(), [
            {"id": 1, "name": "ann", "created": when, "revoked_at": None, "feedback_revision": 7},
            {"id": 2, "name": "bob", "created": when, "revoked_at": when, "feedback_revision": 0}])
        connection.execute(events.insert(), {"writer_id": 1, "time": when, "decision": "accepted", "sentence": "teh",
                                             "suggestion": {"original": "teh"}, "original": "teh",
                                             "replacement": "the", "context": "teh"})
    engine.dispose()

    store = open_store(database_url)
    try:
        assert migrate.current_revision(store.engine) == "0005_writer_model"
        assert [(w.name, w.model_spec, w.revoked_at) for w in accounts.list_writers(store)] == \
            [("ann", None, None), ("bob", None, when)]
        assert feedback_revision(store, 1) == 7 and len(feedback_events(store, 1)) == 1
        set_writer_model(store, "ann", "/models/ann/run")
        assert writer_model_spec(store, 1) == "/models/ann/run" and writer_model_spec(store, 2) is None
    finally:
        store.close()
    engine = create_database_engine(database_url)
    try:
        migrate.downgrade(engine, "0004_drop_preferences")  # the column goes, the writers stay
        assert "model_spec" not in {column["name"] for column in sa.inspect(engine).get_columns("writers")}
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT name FROM writers ORDER BY name")).scalars().all() == ["ann", "bob"]
    finally:
        engine.dispose()


def test_migrations_go_down_to_empty_and_up_again(database_url):
    engine = create_database_engine(database_url)
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "0004_drop_preferences")
        assert "model_spec" not in {column["name"] for column in sa.inspect(engine).get_columns("writers")}
        migrate.downgrade(engine, "0003_feedback_revision")
        assert "preferences" in sa.inspect(engine).get_table_names()  # back as 0002 made it
        migrate.downgrade(engine, "0002_learning")
        assert "feedback_revision" not in {column["name"] for column in sa.inspect(engine).get_columns("writers")}
        migrate.downgrade(engine, "0001_accounts")
        assert "preferences" not in sa.inspect(engine).get_table_names()
        migrate.downgrade(engine, "base")
        assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == "0005_writer_model"
    finally:
        engine.dispose()


@pytest.mark.parametrize("url, fragment", [
    ("not a url", "not a database URL"),
    ("mysql://u:p@h/db", "SQLite or PostgreSQL"),
    ("postgresql://someone:s3cret-pw@127.0.0.1:1/nothing", "cannot open the database"),
])
def test_bad_database_urls_are_clear_errors_that_never_show_a_password(url, fragment):
    with pytest.raises(DatabaseError) as error:
        open_store(url)
    assert fragment in str(error.value) and "s3cret-pw" not in str(error.value)


def test_the_migrations_ship_with_the_package():
    shipped = {path.name for path in migrate.MIGRATIONS_DIR.rglob("*") if path.is_file() and "__pycache__" not in path.parts}
    assert {"env.py", "script.py.mako", "0001_accounts.py", "0002_learning.py",
            "0003_feedback_revision.py", "0004_drop_preferences.py", "0005_writer_model.py"} <= shipped
    for folder in (migrate.MIGRATIONS_DIR, migrate.MIGRATIONS_DIR / "versions"):  # packages, so setuptools ships them
        assert (folder / "__init__.py").is_file()
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[3] / "pyproject.toml").read_text())
    assert "**/*.mako" in pyproject["tool"]["setuptools"]["package-data"]["spelltune"]
