"""`spelltune.client` against a real server."""

from __future__ import annotations

import pytest

from spelltune.client import ServerError, SpelltuneClient

pytest.importorskip("fastapi")


def test_client_corrects_checks_and_keeps_the_dictionary(serve, scripted):
    server = serve(scripted, model="scripted-spec")
    client = SpelltuneClient(server.url)
    result = client.correct("I beleive teh cat\nwe dont")
    assert result.text == "I believe the cat\nwe don't" and result.model == "scripted"
    assert [(s.original, s.replacement, s.kind) for s in result.suggestions] == [
        ("beleive", "believe", "spelling"), ("teh", "the", "spelling"), ("dont", "don't", "apostrophe")]
    assert client.check("teh cat")["matches"][0]["replacements"] == [{"value": "the"}]
    assert client.health()["status"] == "ok" and client.models()[0]["id"] == "scripted-spec"
    assert client.add_word("teh") == ["teh"] and client.correct("teh cat").suggestions == []
    assert client.remove_word("teh") == [] and client.dictionary() == []
    assert client.feedback("teh cat", result.suggestions[1], "accepted")["decision"] == "accepted"


def test_client_errors_are_spelltune_errors_with_the_servers_message(serve, scripted):
    server = serve(scripted, max_body_bytes=100)
    client = SpelltuneClient(server.url)
    with pytest.raises(ServerError) as too_big:
        client.correct("x" * 500)
    assert too_big.value.status == 413 and "larger than 100 bytes" in str(too_big.value)
    with pytest.raises(ServerError, match="single word"):
        client.add_word("two words")


def test_client_says_how_to_start_a_server_that_is_not_there():
    from tests.serve.conftest import free_port

    with pytest.raises(ServerError, match="start it with `spelltune serve`"):
        SpelltuneClient(f"http://127.0.0.1:{free_port()}", timeout=5).health()


def test_client_signs_in_with_a_token(serve, scripted):
    from spelltune.serve.store import accounts, open_store

    store = open_store()
    try:
        _, token = accounts.add_writer(store, "ann")
    finally:
        store.close()
    server = serve(scripted)
    with pytest.raises(ServerError) as refused:
        SpelltuneClient(server.url).dictionary()
    assert refused.value.status == 401 and "sign in" in str(refused.value)
    client = SpelltuneClient(server.url, token=token)
    assert client.add_word("teh") == ["teh"] and client.correct("teh cat").suggestions == []
    assert client.check("teh cat")["matches"] == [] and token not in repr(client)
