"""bench/serve_load.py with many writers: the writers it makes, and a short load on an in-process server with a
scripted corrector (never the real model) that finds no errors and no word of one writer in another's answers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("sqlalchemy")

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "serve_load.py"
spec = importlib.util.spec_from_file_location("serve_load", SCRIPT)
serve_load = importlib.util.module_from_spec(spec)
sys.modules.setdefault("serve_load", serve_load)  # dataclasses look their module up there
spec.loader.exec_module(serve_load)


def test_each_writer_gets_a_working_token_and_a_word_no_other_word_contains(tmp_path):
    from spelltune.serve.store import accounts, open_store
    from spelltune.serve.store.dictionary import dictionary_words

    url = f"sqlite:///{tmp_path / 'spelltune.db'}"
    writers = serve_load.setup_writers(url, 30)
    assert len({w.name for w in writers}) == len({w.token for w in writers}) == 30
    assert not any(a.word in b.word for a in writers for b in writers if a is not b)
    store = open_store(url)
    try:
        for writer in writers:
            found = accounts.writer_for_token(store, writer.token)
            assert found.name == writer.name and dictionary_words(store, found.id) == [writer.word]
    finally:
        store.close()
    with pytest.raises(SystemExit, match="already exists"):  # the names are taken: a message, no traceback
        serve_load.setup_writers(url, 1)


def test_answers_showing_another_writers_word_or_flagging_ones_own_are_errors():
    from spelltune.client import CorrectResult, Suggestion

    ann, bob = serve_load.BenchWriter("ann", "t1", "Zorvexaaaa"), serve_load.BenchWriter("bob", "t2", "Zorvexaaab")
    clean = CorrectResult("the cat Zorvexaaaa", [Suggestion("s0", 0, 3, "teh", "the", "spelling", 0.9)])
    assert serve_load.answer_problems(clean, ann, [ann, bob]) == []
    leaked = CorrectResult("the cat Zorvexaaab", [])
    flagged = CorrectResult("the cat Zorvex", [Suggestion("s0", 8, 10, "Zorvexaaaa", "Zorvex", "spelling", 0.9)])
    assert serve_load.answer_problems(leaked, ann, [ann, bob]) == ["ann was shown bob's dictionary word"]
    assert serve_load.answer_problems(flagged, ann, [ann, bob]) == ["ann's own dictionary word was flagged"]


def test_a_short_load_of_many_writers_has_no_errors(tmp_path):
    from spelltune.serve.app import ServeSettings, create_app
    from spelltune.serve.store import open_store
    from tests.serve.conftest import RunningServer, ScriptedCorrector

    url = f"sqlite:///{tmp_path / 'spelltune.db'}"
    writers = serve_load.setup_writers(url, 3)
    corrector = ScriptedCorrector({"teh": "the", **{w.word: "Zorvex" for w in writers}})  # flags every word
    store = open_store(url)
    settings = ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl", rate_limit=0)
    server = RunningServer(create_app(corrector, settings, store=store)).start()
    try:
        result = serve_load.run_load(server.url, ["teh cat sat", "a dog"], clients=4, duration=0.5, writers=writers,
                                     min_requests=3)  # a count, not a rate: a busy CI machine is slow
    finally:
        server.stop()
        store.close()
    assert result["errors"] == [] and len(result["latencies"]) >= 12
    sent = {line for call in corrector.calls for line in call}
    assert {line.rsplit(" ", 1)[1] for line in sent} == {w.word for w in writers}  # every writer took part
