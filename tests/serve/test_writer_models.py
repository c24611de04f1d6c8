"""Writers' own models: a writer with a model spec is corrected by that model and everyone else by the server's;
the loaded models are an LRU of workers keyed by spec; a spec that cannot load falls back with one warning."""

from __future__ import annotations

import asyncio
import logging

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from spelltune.errors import ModelSpecError  # noqa: E402
from spelltune.serve.app import ServeSettings, create_app  # noqa: E402
from spelltune.serve.batcher import BatchingWorker, WorkerStopped  # noqa: E402
from spelltune.serve.store import accounts  # noqa: E402
from spelltune.serve.store.feedback import add_feedback_event  # noqa: E402
from spelltune.serve.store.writer_model import clear_writer_model, set_writer_model  # noqa: E402
from spelltune.serve.writer_models import WriterModels  # noqa: E402
from tests.serve.conftest import ScriptedCorrector  # noqa: E402


class Models:
    """A fake `load_model`: a ScriptedCorrector per existing spec (teh -> its own word), and what was asked."""

    def __init__(self, words: dict[str, str]):
        self.words = words
        self.loaded: dict[str, ScriptedCorrector] = {}
        self.asked: list[str] = []
        self.released: list[str] = []

    def load(self, spec: str) -> ScriptedCorrector:
        self.asked.append(spec)
        if spec not in self.words:
            raise ModelSpecError(f"unknown model '{spec}': not a preset, an existing path, or a hub id")
        self.loaded[spec] = ScriptedCorrector({"teh": self.words[spec]})
        return self.loaded[spec]


def worker_of(corrector) -> BatchingWorker:
    return BatchingWorker(corrector.correct_lines, gather_ms=1)


def test_models_are_an_lru_by_spec_and_an_evicted_one_stops_and_is_released():
    models = Models({"a": "A", "b": "B", "c": "C"})
    cache = WriterModels(models.load, worker_of, max_models=2, release=models.released.append)

    async def scenario():
        a = await cache.worker_for("a")
        assert await cache.worker_for("a") is a and models.asked == ["a"]  # loaded once
        b = await cache.worker_for("b")
        await cache.worker_for("a")  # a is now the one used last
        await cache.worker_for("c")  # so b makes way
        assert cache.loaded == ["a", "c"] and models.released == ["b"]
        with pytest.raises(WorkerStopped):
            await b.correct(["teh"])
        assert [c.output for c in await a.correct(["teh"])] == ["A"]
        again = await cache.worker_for("b")  # asked again: loaded again
        assert again is not b and models.asked == ["a", "b", "c", "b"] and cache.loaded == ["c", "b"]

    asyncio.run(scenario())
    cache.close()


def test_requests_arriving_together_load_a_model_once():
    models = Models({"a": "A"})
    cache = WriterModels(models.load, worker_of, max_models=2)

    async def scenario():
        return await asyncio.gather(*(cache.worker_for("a") for _ in range(5)))

    workers = asyncio.run(scenario())
    cache.close()
    assert models.asked == ["a"] and len({id(worker) for worker in workers}) == 1


def test_a_spec_that_cannot_load_gives_none_one_warning_and_is_retried_later(caplog):
    models = Models({})
    now = [0.0]
    cache = WriterModels(models.load, worker_of, max_models=2, retry_seconds=60, clock=lambda: now[0])

    async def ask():
        return await cache.worker_for("/gone/run")

    with caplog.at_level(logging.WARNING, logger="spelltune.serve"):
        assert asyncio.run(ask()) is None and asyncio.run(ask()) is None
        assert models.asked == ["/gone/run"]  # not tried again at once
        now[0] = 61.0
        assert asyncio.run(ask()) is None and models.asked == ["/gone/run"] * 2  # tried again later
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "/gone/run" in warnings[0].getMessage()
    assert "server's model" in warnings[0].getMessage()


def test_with_no_room_for_writer_models_nothing_is_loaded():
    models = Models({"a": "A"})
    cache = WriterModels(models.load, worker_of, max_models=0)
    assert asyncio.run(cache.worker_for("a")) is None and models.asked == []


@pytest.fixture
def served(store, tmp_path):
    """An app whose own corrector fixes teh -> the; ann's model (/models/ann) teh -> tea, carol's spec is gone."""
    tokens = {name: accounts.add_writer(store, name)[1] for name in ("ann", "bob", "carol", "dan")}
    set_writer_model(store, "ann", "/models/ann")
    set_writer_model(store, "dan", "/models/ann")  # the same model as ann: one worker for both
    set_writer_model(store, "carol", "/models/deleted")
    models = Models({"/models/ann": "tea", "/models/other": "tee"})
    default = ScriptedCorrector({"teh": "the"})
    settings = ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl", rate_limit=0,
                             max_writer_models=1)
    app = create_app(default, settings, store=store, load_model=models.load, release_model=models.released.append)
    with TestClient(app) as client:
        def correct(name: str, text: str = "I drink teh") -> str:
            answer = client.post("/v1/correct", json={"text": text},
                                 headers={"Authorization": f"Bearer {tokens[name]}"})
            assert answer.status_code == 200, answer.text
            return answer.json()["text"]

        yield client, correct, models, default, tokens


def test_a_writer_with_a_model_is_corrected_by_it_and_everyone_else_by_the_servers(served, store):
    client, correct, models, default, _ = served
    assert correct("ann", "ann: teh") == "ann: tea"
    assert correct("bob", "bob: teh") == "bob: the"
    assert correct("dan", "dan: teh") == "dan: tea"
    assert models.asked == ["/models/ann"]  # loaded once, for ann and dan
    assert [line for call in models.loaded["/models/ann"].calls for line in call] == ["ann: teh", "dan: teh"]
    assert [line for call in default.calls for line in call] == ["bob: teh"]
    assert client.get("/healthz").json()["writer_models"] == {"loaded": 1, "max": 1}
    clear_writer_model(store, "ann")  # read per request: no restart, and another replica would agree
    assert correct("ann", "ann again: teh") == "ann again: the"


def test_a_writer_whose_model_cannot_load_gets_the_servers_with_one_warning(served, caplog):
    _, correct, models, default, _ = served
    with caplog.at_level(logging.WARNING, logger="spelltune.serve"):
        assert correct("carol") == "I drink the" and correct("carol") == "I drink the"
    assert len([r for r in caplog.records if "/models/deleted" in r.getMessage()]) == 1
    assert len(default.calls) == 2 and models.loaded == {}


def test_past_the_limit_the_model_used_least_recently_makes_way(served, store):
    _, correct, models, _, _ = served
    assert correct("ann") == "I drink tea"
    set_writer_model(store, "bob", "/models/other")
    assert correct("bob") == "I drink tee"  # max_writer_models=1: ann's model is evicted and released
    assert models.released == ["/models/ann"]
    assert correct("ann") == "I drink tea" and models.asked == ["/models/ann", "/models/other", "/models/ann"]


def test_what_a_writer_taught_still_applies_on_top_of_their_own_model(served, store):
    _, correct, _, _, _ = served
    ann = accounts.find_writer(store, "ann")
    suggestion = {"offset": 8, "length": 3, "original": "teh", "replacement": "tea", "kind": "spelling"}
    for sentence in ("I drink teh now", "We drink teh then"):  # rejected in two contexts: everywhere
        add_feedback_event(store, ann.id, sentence, {**suggestion, "offset": sentence.index("teh")}, "rejected")
    assert correct("ann") == "I drink teh"  # her model proposed tea; her rejections filtered it out


def test_a_model_evicted_while_correcting_a_request_finishes_it(store, tmp_path, http):
    import threading

    from tests.serve.conftest import RunningServer

    tokens = {name: accounts.add_writer(store, name)[1] for name in ("ann", "bob")}
    set_writer_model(store, "ann", "/models/ann")
    set_writer_model(store, "bob", "/models/bob")
    models = Models({"/models/ann": "tea", "/models/bob": "tee"})
    settings = ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl", rate_limit=0,
                             max_writer_models=1, max_batch_lines=1, request_timeout=20)  # a line per model call
    server = RunningServer(create_app(ScriptedCorrector(), settings, store=store, load_model=models.load,
                                      release_model=models.released.append)).start()

    def correct(name: str, text: str) -> str:
        answer = http.post(f"{server.url}/v1/correct", json={"text": text},
                           headers={"Authorization": f"Bearer {tokens[name]}"})
        assert answer.status_code == 200, answer.text
        return answer.json()["text"]

    try:
        correct("ann", "warm up")  # ann's model loaded
        ann_model = models.loaded["/models/ann"]
        ann_model.release.clear()  # her next batch is held inside the model
        ann_model.entered.clear()
        answers = {}
        ann_thread = threading.Thread(target=lambda: answers.setdefault("ann", correct("ann", "one teh\ntwo teh")))
        ann_thread.start()
        assert ann_model.entered.wait(10)
        assert correct("bob", "teh") == "tee"  # bob's model evicts ann's mid-request
        assert models.released == ["/models/ann"]
        ann_model.release.set()
        ann_thread.join(timeout=30)
        assert answers["ann"] == "one tea\ntwo tea"  # her second line, queued at eviction, by her model too
        assert ann_model.calls[-2:] == [["one teh"], ["two teh"]]
    finally:
        server.stop()


def test_the_answer_says_whose_model_corrected_it(served):
    client, _, _, default, tokens = served
    for name, own in (("ann", True), ("bob", False), ("carol", False)):  # carol's model cannot load
        answer = client.post("/v1/correct", json={"text": "I drink teh"},
                             headers={"Authorization": f"Bearer {tokens[name]}"}).json()
        assert answer["own_model"] is own
        assert answer["model"] == (f"{default.name} + your own model" if own else default.name)
        assert "/models/" not in answer["model"]  # never a server path


def test_models_lists_a_writers_own_model_without_its_path(served):
    client, correct, _, default, tokens = served

    def listed(name: str) -> list[dict]:
        return client.get("/v1/models", headers={"Authorization": f"Bearer {tokens[name]}"}).json()["models"]

    bob = listed("bob")
    assert [m["corrects_your_text"] for m in bob] == [True] and bob[0]["name"] == default.name
    before = listed("ann")
    assert [m["corrects_your_text"] for m in before] == [False, True] and before[1]["loaded"] is False
    correct("ann", "teh")  # her first request loads her model
    after = listed("ann")
    assert after[1]["id"] == "own" and after[1]["loaded"] is True
    assert "/models/" not in str(after)  # never a server path
