"""Writers and tokens on real databases: tokens are hashed, revocation is immediate, names are checked."""

from __future__ import annotations

import hmac

import pytest
from sqlalchemy import select, text

from spelltune.errors import AccountError
from spelltune.serve.store import accounts, tokens
from spelltune.serve.store.models import Token


def test_a_writers_token_finds_them_and_only_its_hash_is_stored(store):
    ann, token = accounts.add_writer(store, "Ann")
    assert ann.name == "ann" and token.startswith("st_")
    assert accounts.writer_for_token(store, token).id == ann.id
    with store.session() as session:
        stored = session.scalars(select(Token)).all()
        dump = " ".join(str(row) for table in ("writers", "tokens") for row in session.execute(text(f"SELECT * FROM {table}")))
    assert [row.token_hash for row in stored] == [tokens.token_hash(token)]
    assert token not in dump and token.split("_", 2)[2] not in dump


@pytest.mark.parametrize("presented", ["", "nonsense", "st_", "st_abc_def", "Bearer x", "st_" + "0" * 12 + "_x"])
def test_malformed_or_unknown_tokens_find_nobody(store, presented):
    accounts.add_writer(store, "ann")
    assert accounts.writer_for_token(store, presented) is None


def test_a_token_with_a_known_prefix_but_another_secret_is_refused(store):
    _, token = accounts.add_writer(store, "ann")
    prefix = token.rsplit("_", 1)[0] if token.count("_") == 2 else "_".join(token.split("_", 2)[:2])
    assert accounts.writer_for_token(store, prefix + "_" + "A" * 43) is None
    assert accounts.writer_for_token(store, token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_tokens_are_compared_in_constant_time(store, monkeypatch):
    _, token = accounts.add_writer(store, "ann")
    compared = []
    real_compare = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real_compare(a, b)

    monkeypatch.setattr(tokens.hmac, "compare_digest", spy)
    assert accounts.writer_for_token(store, token) is not None
    assert compared == [(tokens.token_hash(token), tokens.token_hash(token))]  # hashes, never the token


def test_revoking_stops_every_token_at_once_and_keeps_the_name(store):
    _, token = accounts.add_writer(store, "ann")
    accounts.revoke_writer(store, "ANN")
    assert accounts.writer_for_token(store, token) is None
    with pytest.raises(AccountError, match="already revoked"):
        accounts.revoke_writer(store, "ann")
    with pytest.raises(AccountError, match="already exists"):
        accounts.add_writer(store, "ann")
    [info] = accounts.list_writers(store)
    assert info.name == "ann" and info.revoked_at is not None and info.active_tokens == 0


def test_a_new_token_replaces_the_old_one(store):
    _, first = accounts.add_writer(store, "ann")
    second = accounts.new_token(store, "ann")
    assert accounts.writer_for_token(store, first) is None
    assert accounts.writer_for_token(store, second).name == "ann"


@pytest.mark.parametrize("name", ["", "  ", "two words", "x" * 65, "ann/../bob", "local", "LOCAL", "é"])
def test_bad_or_reserved_names_are_clear_errors(store, name):
    with pytest.raises(AccountError):
        accounts.add_writer(store, name)


def test_unknown_names_are_clear_errors(store):
    with pytest.raises(AccountError, match="no writer named 'bob'"):
        accounts.revoke_writer(store, "bob")
    with pytest.raises(AccountError, match="no writer named"):
        accounts.new_token(store, "bob")


def test_accounts_are_configured_while_one_writer_is_active(store):
    assert not accounts.accounts_configured(store)
    accounts.local_writer(store)
    assert not accounts.accounts_configured(store)  # the built-in writer does not count
    accounts.add_writer(store, "ann")
    assert accounts.accounts_configured(store)
    accounts.revoke_writer(store, "ann")
    assert not accounts.accounts_configured(store)
    assert accounts.local_writer(store).id == accounts.local_writer(store).id
    assert [w.name for w in accounts.list_writers(store)] == ["ann"]


def test_token_repr_never_shows_the_secret():
    issued = tokens.issue_token()
    assert issued.token not in repr(issued) and issued.token not in str(issued)
    assert tokens.token_prefix(issued.token) == issued.prefix and len(issued.token) > 50
