"""`spelltune writers` as a user runs it: tokens printed once, clear one-line errors, exit codes."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("sqlalchemy")


@pytest.fixture
def writers(run_cli, database_url):
    """Run `spelltune writers ARGS --database <a real database>`."""

    def run(*args: str):
        return run_cli(["writers", *args, "--database", database_url])

    return run


def test_add_prints_the_token_once_and_list_never_does(writers, database_url):
    added = writers("add", "Ann")
    assert added.exit_code == 0
    token = added.stdout.strip()
    assert token.startswith("st_") and "\n" not in token and "shown only now" in added.stderr
    listed = writers("list")
    assert listed.exit_code == 0 and listed.stdout.startswith("ann\tadded ") and "active" in listed.stdout
    assert token not in listed.stdout + listed.stderr
    exported = writers("export", "ann")
    assert json.loads(exported.stdout)["writer"]["name"] == "ann" and token not in exported.stdout

    from spelltune.serve.store import accounts, open_store

    store = open_store(database_url)
    try:
        assert accounts.writer_for_token(store, token).name == "ann"
        assert writers("revoke", "ann").exit_code == 0
        assert accounts.writer_for_token(store, token) is None
    finally:
        store.close()
    assert "revoked" in writers("list").stdout


@pytest.mark.parametrize("args, message", [
    (("revoke", "nobody"), "no writer named 'nobody'"),
    (("token", "nobody"), "no writer named 'nobody'"),
    (("export", "nobody"), "no writer named 'nobody'"),
    (("add", "two words"), "not a valid writer name"),
    (("add", "local"), "built-in single-user writer"),
    (("erase", "ann"), "--yes"),
    (("model", "nobody"), "no writer named 'nobody'"),
    (("model", "nobody", "--clear"), "no writer named 'nobody'"),
])
def test_bad_names_are_one_error_line_and_exit_2(writers, args, message):
    writers("add", "ann")
    result = writers(*args)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: ") and message in result.stderr


def test_duplicates_and_double_revokes_are_errors(writers):
    assert writers("add", "ann").exit_code == 0
    duplicate = writers("add", "ANN")
    assert duplicate.exit_code == 2 and "already exists" in duplicate.stderr and duplicate.stdout == ""
    assert writers("revoke", "ann").exit_code == 0
    assert "already revoked" in writers("revoke", "ann").stderr


def test_a_new_token_replaces_the_old_and_erase_removes_the_writer(writers):
    first = writers("add", "ann").stdout.strip()
    second = writers("token", "ann")
    assert second.exit_code == 0 and second.stdout.strip() not in ("", first)
    erased = writers("erase", "ann", "--yes")
    assert erased.exit_code == 0 and "2 tokens" in erased.stderr  # the revoked one too
    assert writers("list").stdout == ""


def test_a_bad_database_url_is_one_error_line(run_cli):
    result = run_cli(["writers", "list", "--database", "postgresql://u:hunter2@127.0.0.1:1/x"])
    assert result.exit_code == 2 and "cannot open the database" in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_model_shows_and_clears_the_model_a_writer_is_corrected_with(writers, database_url):
    from spelltune.serve.store import open_store
    from spelltune.serve.store.writer_model import set_writer_model, writer_model

    writers("add", "ann")
    writers("add", "bob")
    shown = writers("model", "ann")
    assert shown.exit_code == 0 and shown.stdout.strip() == "server model"
    store = open_store(database_url)
    try:
        set_writer_model(store, "ann", "/runs/adapt/ann/run")
        assert writers("model", "ANN").stdout.strip() == "/runs/adapt/ann/run"
        assert writers("list").stdout.splitlines()[0].endswith("\tactive\t/runs/adapt/ann/run")
        assert writers("list").stdout.splitlines()[1].endswith("\tactive\tserver model")
        cleared = writers("model", "ann", "--clear")
        assert cleared.exit_code == 0 and "was /runs/adapt/ann/run" in cleared.stderr and cleared.stdout == ""
        assert writer_model(store, "ann") is None
        assert "already uses the server's own model" in writers("model", "ann", "--clear").stderr
    finally:
        store.close()
