"""`spelltune adapt`: a writer's feedback becomes pairs, a tiny adapter is trained and judged, and kept only if better."""

from __future__ import annotations

import json

import pytest
import yaml

from spelltune.errors import AccountError, InputError
from spelltune.train.adapt import (AdaptSettings, FeedbackScore, adapt_writer, feedback_sentences, keep_new,
                                   split_held_out)
from spelltune.train.config import config_from_dict

from .conftest import tiny_train_settings


def record(decision: str, sentence: str, original: str, replacement: str) -> dict:
    return {"time": "2025-01-01T00:00:00Z", "decision": decision, "sentence": sentence,
            "suggestion": {"offset": sentence.index(original), "length": len(original), "original": original,
                           "replacement": replacement, "kind": "spelling", "confidence": None}}


SENTENCES = [f"I saw teh {thing} by the river." for thing in
             ("boat", "dog", "bird", "man", "tree", "house", "car", "bridge", "swan", "train", "kite", "horse")]
FEEDBACK = [record("accepted", s, "teh", "the") for s in SENTENCES] + \
    [record("rejected", SENTENCES[0], "river.", "rover."), {"decision": "accepted", "sentence": "broken"}]


def test_decisions_group_by_sentence_and_accepted_changes_make_the_target():
    sentences, skipped = feedback_sentences(FEEDBACK + [record("accepted", SENTENCES[0], "saw", "say")])
    assert skipped == 1 and len(sentences) == len(SENTENCES)
    first = sentences[0]
    assert [e.replacement for e in first.accepted] == ["the", "say"] and len(first.rejected) == 1
    assert first.corrected() == "I say the boat by the river."  # the rejected change is not applied


def test_the_held_out_split_is_seeded_and_never_empty():
    sentences, _ = feedback_sentences(FEEDBACK)
    train, held = split_held_out(sentences, 0.25, seed=0)
    assert len(held) == 3 and len(train) == 9
    assert [s.sentence for s in held] == [s.sentence for s in split_held_out(sentences, 0.25, seed=0)[1]]
    assert [s.sentence for s in held] != [s.sentence for s in split_held_out(sentences, 0.25, seed=1)[1]]
    assert len(split_held_out(sentences[:2], 0.1, seed=0)[1]) == 1
    with pytest.raises(InputError, match="between 0 and 1"):
        split_held_out(sentences, 1.0, seed=0)


def test_the_new_model_is_kept_only_when_better_for_the_writer_and_no_worse_in_general():
    old = FeedbackScore(fixed=3, missed=2, wrong_again=1, general_exact=0.5)
    assert keep_new(old, FeedbackScore(fixed=4, missed=1, wrong_again=0, general_exact=0.5))[0]
    assert not keep_new(old, FeedbackScore(fixed=3, missed=2, wrong_again=1, general_exact=0.9))[0]  # a tie
    kept, reason = keep_new(old, FeedbackScore(fixed=5, missed=0, wrong_again=0, general_exact=0.4))
    assert not kept and "worse on general data" in reason


def test_too_little_feedback_is_refused_with_a_reason(tmp_path, tiny_dataset_dir):
    with pytest.raises(InputError, match="keep writing"):
        adapt_writer(FEEDBACK[:3], "unused", tiny_dataset_dir, tmp_path, settings=AdaptSettings(min_train_pairs=8))


def test_adapt_trains_judges_and_writes_its_decision(tiny_model_dir, tiny_dataset_dir, tmp_path):
    from spelltune.correct.lm import LMCorrector
    from spelltune.engine import load_engine

    loaded = []

    def load(spec):
        loaded.append(spec)
        return LMCorrector(load_engine(spec, engine="torch", device="cpu", dtype="float32"))

    config = config_from_dict(tiny_train_settings(tiny_model_dir, tiny_dataset_dir, max_steps=4,
                                                  **{"eval.every_steps": 0, "save_every_steps": 100}))
    settings = AdaptSettings(min_train_pairs=4, general_check_pairs=3, replay_ratio=1.0)
    result = adapt_writer(FEEDBACK, str(tiny_model_dir), tiny_dataset_dir, tmp_path / "adapt", config=config,
                          settings=settings, load=load)
    assert loaded == [str(tiny_model_dir), str(tmp_path / "adapt" / "run")]
    assert (result.train_pairs, result.held_out_sentences, result.replay_pairs) == (9, 3, 9)
    assert result.kept == keep_new(result.old, result.new)[0]
    assert result.model == (str(tmp_path / "adapt" / "run") if result.kept else str(tiny_model_dir))
    assert result.old.fixed + result.old.missed == result.new.fixed + result.new.missed == 3  # one fix per held-out sentence
    decision = json.loads((tmp_path / "adapt" / "decision.json").read_text())
    assert decision["kept"] == result.kept and decision["reason"] == result.reason
    rows = [json.loads(line) for line in (tmp_path / "adapt" / "data" / "train.jsonl").read_text().splitlines()]
    assert sorted(row["category"] for row in rows) == ["feedback"] * 9 + ["replay"] * 9
    assert all(row["output"] == row["input"].replace("teh", "the") for row in rows if row["category"] == "feedback")
    assert (tmp_path / "adapt" / "run" / "adapter" / "adapter_config.json").is_file()


def test_the_cli_turns_bad_input_into_one_line(run_cli, tmp_path, tiny_dataset_dir):
    missing = run_cli(["adapt", "--feedback", str(tmp_path / "none.jsonl"), "--replay", str(tiny_dataset_dir)])
    assert missing.exit_code == 2 and "no feedback file" in missing.stderr and "Traceback" not in missing.stderr
    feedback = tmp_path / "feedback.jsonl"
    feedback.write_text("".join(json.dumps(r) + "\n" for r in FEEDBACK[:2]))
    no_replay = run_cli(["adapt", "--feedback", str(feedback), "--replay", str(tmp_path / "nowhere")])
    assert no_replay.exit_code == 2 and "not a folder" in no_replay.stderr
    too_few = run_cli(["adapt", "--feedback", str(feedback), "--replay", str(tiny_dataset_dir),
                       "--out", str(tmp_path / "out")])
    assert too_few.exit_code == 2 and "keep writing" in too_few.stderr


def test_a_writers_feedback_comes_from_the_servers_database_as_from_the_file(run_cli, tmp_path, tiny_dataset_dir):
    pytest.importorskip("sqlalchemy")
    from spelltune.serve.store import accounts, open_store
    from spelltune.serve.store.feedback import add_feedback_event
    from spelltune.train.adapt import read_writer_feedback

    url = f"sqlite:///{tmp_path / 'spelltune.db'}"
    store = open_store(url)
    try:
        ann, _ = accounts.add_writer(store, "ann")
        bob, _ = accounts.add_writer(store, "bob")
        for r in FEEDBACK[:-1]:
            add_feedback_event(store, ann.id, r["sentence"], r["suggestion"], r["decision"])
        add_feedback_event(store, bob.id, SENTENCES[1], FEEDBACK[1]["suggestion"], "accepted")
    finally:
        store.close()
    records = read_writer_feedback("ann", url)
    assert [(r["decision"], r["sentence"], r["suggestion"]) for r in records] == \
        [(r["decision"], r["sentence"], r["suggestion"]) for r in FEEDBACK[:-1]]
    from_db, from_file = feedback_sentences(records)[0], feedback_sentences(FEEDBACK[:-1])[0]
    assert [(s.sentence, s.corrected(), len(s.rejected)) for s in from_db] == \
        [(s.sentence, s.corrected(), len(s.rejected)) for s in from_file]

    replay = ["--replay", str(tiny_dataset_dir), "--out", str(tmp_path / "out")]
    bob_run = run_cli(["adapt", "--writer", "bob", "--database", url, *replay])
    assert bob_run.exit_code == 2 and "1 sentences with decisions" in bob_run.stderr  # bob's one, not ann's
    unknown = run_cli(["adapt", "--writer", "zed", "--database", url, *replay])
    assert unknown.exit_code == 2 and "no writer named 'zed'" in unknown.stderr and "Traceback" not in unknown.stderr
    both = run_cli(["adapt", "--writer", "ann", "--feedback", str(tmp_path / "f.jsonl"), *replay])
    assert both.exit_code == 2 and "one of them" in both.stderr
    neither = run_cli(["adapt", *replay])
    assert neither.exit_code == 2 and "--writer NAME" in neither.stderr
    bad_url = run_cli(["adapt", "--writer", "ann", "--database", "mysql://x/y", *replay])
    assert bad_url.exit_code == 2 and "SQLite or PostgreSQL" in bad_url.stderr


def test_the_shipped_adapt_preset_loads():
    from pathlib import Path

    from spelltune.train.adapt import DEFAULT_CONFIG

    config = config_from_dict(yaml.safe_load(Path(DEFAULT_CONFIG).read_text()))
    assert config.method == "lora" and config.eval.every_steps == 0


def _decision(kept: bool, model: str) -> "AdaptResult":
    from spelltune.train.adapt import AdaptResult

    return AdaptResult(kept, "why", model, FeedbackScore(), FeedbackScore(), 9, 9, 3)


@pytest.fixture
def writers_database(tmp_path) -> str:
    """A SQLite database URL holding the writers ann and bob."""
    pytest.importorskip("sqlalchemy")
    from spelltune.serve.store import accounts, open_store

    url = f"sqlite:///{tmp_path / 'spelltune.db'}"
    store = open_store(url)
    try:
        accounts.add_writer(store, "ann")
        accounts.add_writer(store, "bob")
    finally:
        store.close()
    return url


def test_a_kept_adapter_becomes_the_writers_model_in_the_database_and_a_rejected_one_changes_nothing(
        tmp_path, monkeypatch, writers_database):
    from spelltune.serve.store import open_store
    from spelltune.serve.store.writer_model import writer_model
    from spelltune.train.adapt import record_writer_decision, writer_current_model

    url = writers_database
    monkeypatch.chdir(tmp_path)
    assert record_writer_decision(_decision(False, "default"), "ann", url) is None
    assert writer_current_model("ann", url) is None
    kept = record_writer_decision(_decision(True, "runs/adapt/ann/run"), "ann", url)
    assert kept == str(tmp_path / "runs" / "adapt" / "ann" / "run")  # absolute: the server runs elsewhere
    assert record_writer_decision(_decision(False, kept), "ann", url) is None  # a later loser leaves it
    store = open_store(url)
    try:
        assert writer_model(store, "ann") == kept and writer_model(store, "bob") is None
    finally:
        store.close()
    with pytest.raises(AccountError, match="no writer named 'zed'"):
        record_writer_decision(_decision(True, "runs/x"), "zed", url)


def test_adapt_for_a_writer_starts_from_their_model_and_records_what_it_keeps(run_cli, tmp_path, tiny_dataset_dir,
                                                                              monkeypatch, writers_database):
    import spelltune.train.adapt as adapt_module
    from spelltune.serve.store import open_store
    from spelltune.serve.store.writer_model import set_writer_model, writer_model

    url = writers_database
    store = open_store(url)
    set_writer_model(store, "bob", "/runs/bob/old")
    store.close()
    started_from, outcome = [], {"kept": True}

    def fake_adapt(records, model, replay, out_dir, **_):  # training is tested above; here what the CLI records
        started_from.append(model)
        return _decision(outcome["kept"], str(out_dir / "run") if outcome["kept"] else model)

    monkeypatch.setattr(adapt_module, "adapt_writer", fake_adapt)
    replay = ["--replay", str(tiny_dataset_dir), "--database", url]
    ann = run_cli(["adapt", "--writer", "ann", "--out", str(tmp_path / "ann"), *replay])
    assert ann.exit_code == 0, ann.stderr
    assert f"now corrects ann's text with {tmp_path / 'ann' / 'run'}" in ann.stdout
    outcome["kept"] = False
    bob = run_cli(["adapt", "--writer", "bob", "--out", str(tmp_path / "bob"), *replay])
    assert bob.exit_code == 0 and "bob keeps the model they had (/runs/bob/old)" in bob.stdout
    assert started_from == ["default", "/runs/bob/old"]  # each from the model the server corrects them with
    store = open_store(url)
    try:
        assert writer_model(store, "ann") == str(tmp_path / "ann" / "run") and writer_model(store, "bob") == "/runs/bob/old"
    finally:
        store.close()
