"""The editor's feedback log as a misspelling source for `spelltune data build`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spelltune.data.build import build_dataset
from spelltune.data.config import load_data_config
from spelltune.data.sources.feedback import load_feedback_misspellings
from spelltune.errors import DataFormatError

QUICK = Path(__file__).resolve().parents[2] / "configs" / "data" / "quick.yaml"


def _log(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _record(original: str, replacement: str, decision: str = "accepted") -> dict:
    return {"time": "2026-11-23T12:00:00Z", "decision": decision, "sentence": f"x {original} y",
            "suggestion": {"offset": 2, "length": len(original), "original": original, "replacement": replacement}}


def test_accepted_one_word_fixes_become_misspellings(tmp_path):
    log = _log(tmp_path / "feedback.jsonl", [
        _record("teh", "the"), _record("freind,", "friend,"), _record("Jhon", "John", "rejected"),
        _record("alot", "a lot"), _record("monday", "Monday"),
    ])
    pairs = load_feedback_misspellings(log)
    assert [(p.misspelling, p.correct, p.source) for p in pairs] == [("teh", "the", "feedback"), ("freind", "friend", "feedback")]


def test_a_broken_line_names_the_file_and_line(tmp_path):
    log = tmp_path / "feedback.jsonl"
    log.write_text(json.dumps(_record("teh", "the")) + "\n{not json\n")
    with pytest.raises(DataFormatError, match="feedback.jsonl:2"):
        load_feedback_misspellings(log)


def test_data_build_reads_a_feedback_log_as_a_source(tmp_path):
    log = _log(tmp_path / "feedback.jsonl", [_record("teh", "the"), _record("becuase", "because"), _record("wich", "which")])
    config = load_data_config(QUICK, ["pairs=600", "heldout_word_fraction=0.0"])
    config.misspellings = [type(config.misspellings[0])(kind="feedback", path=str(log))]
    build_dataset(config, tmp_path / "out")
    rows = [json.loads(line) for line in (tmp_path / "out" / "train.jsonl").read_text().splitlines()]
    from_feedback = [r for r in rows if r["source"].endswith("|feedback")]
    assert from_feedback and all(any(w in r["input"].lower() for w in ("teh", "becuase", "wich")) for r in from_feedback)
