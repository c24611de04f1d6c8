"""The server learns from each writer's decisions at once, for that writer only, and agrees with the database:
rejected changes stay away in their context, accepted fixes reach the corrector with that writer's lines,
and every learned item can be listed, undone for good, exported and erased."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from spelltune.correct.edits import apply_edits  # noqa: E402
from spelltune.serve.app import ServeSettings, create_app  # noqa: E402
from spelltune.serve.store import accounts  # noqa: E402
from spelltune.serve.store.feedback import feedback_events  # noqa: E402
from tests.serve.conftest import ScriptedCorrector  # noqa: E402


class LearningCorrector(ScriptedCorrector):
    """A scripted corrector that takes per-line spelling preferences: it records them and follows them."""

    takes_preferences = True

    def __init__(self, table: dict[str, str] | None = None):
        super().__init__(table)
        self.received: list[tuple[str, dict[str, str] | None]] = []  # (line, its preferences as a dict)

    def correct_lines(self, lines, preferences=None):
        preferences = preferences or [None] * len(lines)
        self.received += [(line, dict(p.pairs) if p else None) for line, p in zip(lines, preferences)]
        corrections = super().correct_lines(lines)
        for correction, wanted in zip(corrections, preferences):
            if wanted:  # the writer's own word wins, as the second pass lets it
                correction.edits = [replace(edit, replacement=wanted.preferred(edit.original) or edit.replacement)
                                    for edit in correction.edits]
                correction.output = apply_edits(correction.input, correction.edits)
        return corrections


def settings(tmp_path, **changes) -> ServeSettings:
    return ServeSettings(dictionary_path=tmp_path / "d.txt", feedback_path=tmp_path / "f.jsonl", rate_limit=0,
                         **changes)


@pytest.fixture
def writers(store):
    """Tokens of ann and bob as Authorization headers."""
    return {name: {"Authorization": f"Bearer {accounts.add_writer(store, name)[1]}"} for name in ("ann", "bob")}


def suggestions(client, headers, text) -> list[tuple[str, str]]:
    answer = client.post("/v1/correct", json={"text": text}, headers=headers)
    assert answer.status_code == 200, answer.text
    return [(s["original"], s["replacement"]) for s in answer.json()["suggestions"]]


def decide(client, headers, sentence, original, replacement, decision) -> None:
    suggestion = {"offset": sentence.index(original), "length": len(original), "original": original,
                  "replacement": replacement, "kind": "spelling", "confidence": 0.9}
    answer = client.post("/v1/feedback", json={"sentence": sentence, "suggestion": suggestion, "decision": decision},
                         headers=headers)
    assert answer.status_code == 200, answer.text


def test_a_rejected_suggestion_stays_away_from_its_writer_in_that_context_only(store, writers, tmp_path):
    corrector = LearningCorrector({"Leeds": "Leads", "teh": "the"})
    with TestClient(create_app(corrector, settings(tmp_path), store=store)) as client:
        ann, bob = writers["ann"], writers["bob"]
        assert suggestions(client, ann, "I live in Leeds now") == [("Leeds", "Leads")]
        decide(client, ann, "I live in Leeds now", "Leeds", "Leads", "rejected")
        # The same words around it, another sentence: not offered to ann; other changes still are.
        assert suggestions(client, ann, "We moved in Leeds now and teh rest") == [("teh", "the")]
        assert suggestions(client, ann, "Leeds is grey") == [("Leeds", "Leads")]  # another context
        assert suggestions(client, bob, "I live in Leeds now") == [("Leeds", "Leads")]  # bob never said no
        check = client.post("/v2/check", data={"text": "we met in Leeds now", "language": "en"}, headers=ann).json()
        assert check["matches"] == []
        corrected = client.post("/v1/correct", json={"text": "I live in Leeds now"}, headers=ann).json()["text"]
        assert corrected == "I live in Leeds now"  # the text is rebuilt without it


def test_an_accepted_fix_reaches_the_corrector_with_that_writers_lines_only(store, writers, tmp_path):
    corrector = LearningCorrector({"becuase": "becase"})
    with TestClient(create_app(corrector, settings(tmp_path, gather_ms=300.0), store=store)) as client:
        ann, bob = writers["ann"], writers["bob"]
        assert suggestions(client, ann, "I came becuase it rained") == [("becuase", "becase")]
        assert corrector.received == [("I came becuase it rained", None)]
        decide(client, ann, "I came becuase it rained", "becuase", "because", "accepted")
        corrector.received.clear()
        answers = {}

        def send(name: str, text: str) -> None:
            answers[name] = suggestions(client, writers[name], text)

        # Both requests arrive within the worker's gathering time: one model call, each line with its writer's.
        threads = [threading.Thread(target=send, args=("ann", "so becuase of it")),
                   threading.Thread(target=send, args=("bob", "bob wrote becuase"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(corrector.received) == [("bob wrote becuase", None),
                                              ("so becuase of it", {"becuase": "because"})]
        assert answers == {"ann": [("becuase", "because")], "bob": [("becuase", "becase")]}
        assert len(corrector.calls) == 2  # the first request's call, then one for both writers


def test_learned_items_are_listed_undone_for_good_and_private(store, database_url, writers, tmp_path):
    from spelltune.serve.store import open_store

    corrector = LearningCorrector({"Leeds": "Leads", "becuase": "becase"})
    ann, bob = writers["ann"], writers["bob"]
    with TestClient(create_app(corrector, settings(tmp_path), store=store)) as client:
        decide(client, ann, "I came becuase it rained", "becuase", "because", "accepted")
        decide(client, ann, "so becuase of it", "becuase", "because", "accepted")
        decide(client, ann, "I live in Leeds now", "Leeds", "Leads", "rejected")
        listed = client.get("/v1/learned", headers=ann).json()
        assert [(i["id"], i["kind"], i["original"], i["replacement"], i["times"], i["contexts"])
                for i in listed["items"]] == [("preferred:becuase", "preferred", "becuase", "because", 2, []),
                                              ("rejected:leeds>leads", "rejected", "Leeds", "Leads", 1, ["in Leeds now"])]
        assert client.get("/v1/learned", headers=bob).json()["items"] == []
        assert client.delete("/v1/learned/rejected:leeds>leads", headers=bob).status_code == 404  # not bob's
        assert client.delete("/v1/learned/rejected:nothing>here", headers=ann).status_code == 404
        undone = client.delete("/v1/learned/rejected:leeds>leads", headers=ann)
        assert undone.status_code == 200 and undone.json()["decisions_deleted"] == 1
        assert suggestions(client, ann, "I live in Leeds now") == [("Leeds", "Leads")]  # offered again at once
        exported = client.get("/v1/export", headers=ann).json()
        assert [i["id"] for i in exported["learned"]["items"]] == ["preferred:becuase"]
    # A restart on another connection to the same database (another replica): still undone.
    other = open_store(database_url)
    try:
        with TestClient(create_app(LearningCorrector({"Leeds": "Leads"}), settings(tmp_path), store=other)) as client:
            assert [i["id"] for i in client.get("/v1/learned", headers=ann).json()["items"]] == ["preferred:becuase"]
            erased = client.delete("/v1/data", headers=ann).json()["erased"]
            assert erased["feedback"] == 2
            assert client.get("/v1/learned", headers=ann).json()["items"] == []
            assert client.get("/v1/export", headers=ann).json()["learned"]["items"] == []
    finally:
        other.close()
    assert feedback_events(store, accounts.find_writer(store, "ann").id) == []


def test_two_replicas_agree_at_once_and_rebuild_only_when_the_feedback_changed(store, database_url, writers, tmp_path):
    from spelltune.serve.store import open_store

    other = open_store(database_url)
    ann = writers["ann"]
    try:
        with TestClient(create_app(LearningCorrector({"Leeds": "Leads"}), settings(tmp_path), store=store)) as first, \
                TestClient(create_app(LearningCorrector({"Leeds": "Leads"}), settings(tmp_path), store=other)) as second:
            assert suggestions(second, ann, "I live in Leeds now") == [("Leeds", "Leads")]  # cached on the second
            decide(first, ann, "I live in Leeds now", "Leeds", "Leads", "rejected")
            assert suggestions(first, ann, "I live in Leeds now") == []  # now cached on the first too
            assert suggestions(second, ann, "I live in Leeds now") == []  # the second sees it at once
            cache = second.app.state.server.learning
            rebuilds = cache.rebuilds
            assert suggestions(second, ann, "I live in Leeds now") == [] and cache.rebuilds == rebuilds  # cached
            # An undo and a new decision on the second while the first holds the old state: in SQLite the new
            # event takes the deleted one's id (same count, same last id); the revision still moves.
            assert second.delete("/v1/learned/rejected:leeds>leads", headers=ann).status_code == 200
            decide(second, ann, "Leeds is grey", "Leeds", "Leads", "rejected")
            assert suggestions(first, ann, "I live in Leeds now") == [("Leeds", "Leads")]
            assert suggestions(first, ann, "Leeds is grey") == []
    finally:
        other.close()


def test_with_the_lm_corrector_a_writers_accepted_fix_wins_for_them_and_not_for_others(store, writers, tmp_path):
    from spelltune.correct.lm import LMCorrector
    from tests.correct.test_preferences import ScriptedEngine

    line = "the dook is here"
    scores = {"the dook is here": -30.0, "the book is here": -10.0, "the door is here": -9.8}
    corrector = LMCorrector(ScriptedEngine({line: line}, scores))  # the real corrector, a scripted engine
    with TestClient(create_app(corrector, settings(tmp_path), store=store)) as client:
        ann, bob = writers["ann"], writers["bob"]
        assert suggestions(client, ann, line) == [("dook", "door")]  # the model's choice, by a little
        decide(client, ann, "a dook on the shelf", "dook", "book", "accepted")
        assert suggestions(client, ann, line) == [("dook", "book")]
        assert suggestions(client, bob, line) == [("dook", "door")]
