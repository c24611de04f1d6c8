"""A writer's own model on real databases: set, read, cleared, per writer, forgotten with their data."""

from __future__ import annotations

import pytest

from spelltune.errors import AccountError
from spelltune.serve.store import accounts
from spelltune.serve.store.writer_data import erase_writer_data, export_writer_data
from spelltune.serve.store.writer_model import (clear_writer_model, set_writer_model, writer_model,
                                                writer_model_spec)


def test_a_writers_model_is_set_read_and_cleared_for_them_alone(store):
    ann, _ = accounts.add_writer(store, "ann")
    bob, _ = accounts.add_writer(store, "bob")
    assert writer_model(store, "ann") is None and writer_model_spec(store, ann.id) is None
    assert set_writer_model(store, "Ann", "  /runs/ann/run ") is None  # the spec she had: the server's
    assert set_writer_model(store, "ann", "/runs/ann/run2") == "/runs/ann/run"
    assert writer_model(store, "ann") == writer_model_spec(store, ann.id) == "/runs/ann/run2"
    assert writer_model_spec(store, bob.id) is None and writer_model_spec(store, 999) is None
    assert [(w.name, w.model_spec) for w in accounts.list_writers(store)] == [("ann", "/runs/ann/run2"), ("bob", None)]
    assert clear_writer_model(store, "ann") == "/runs/ann/run2"
    assert writer_model_spec(store, ann.id) is None and clear_writer_model(store, "ann") is None


def test_unknown_writers_and_empty_specs_are_clear_errors(store):
    accounts.add_writer(store, "ann")
    for call in (lambda: writer_model(store, "zed"), lambda: set_writer_model(store, "zed", "/x"),
                 lambda: clear_writer_model(store, "zed")):
        with pytest.raises(AccountError, match="no writer named 'zed'"):
            call()
    with pytest.raises(AccountError, match="empty model spec"):
        set_writer_model(store, "ann", "  ")


def test_erasing_a_writers_data_forgets_the_model_trained_on_it_and_export_says_whether_there_is_one(store):
    ann, _ = accounts.add_writer(store, "ann")
    bob, _ = accounts.add_writer(store, "bob")
    set_writer_model(store, "ann", "/runs/ann/run")
    set_writer_model(store, "bob", "/runs/bob/run")
    exported = export_writer_data(store, accounts.find_writer(store, "ann"))
    assert exported["writer"]["own_model"] is True and "/runs/ann" not in str(exported)  # no server path
    erase_writer_data(store, ann.id)
    assert writer_model_spec(store, ann.id) is None and writer_model_spec(store, bob.id) == "/runs/bob/run"
    assert export_writer_data(store, accounts.find_writer(store, "ann"))["writer"]["own_model"] is False
