"""Recall and precision by error kind: each kind counts the words it names, and eval reports them."""

from __future__ import annotations

import json

import pytest

from spelltune.evaluate.alignment import align_words
from spelltune.evaluate.error_kinds import ALL_WORDS, ERROR_KINDS, score_by_kind, word_kinds

VOCABULARY = {"the", "cat", "cut", "is", "happy", "today", "by", "way", "an", "of", "in", "spite", "it", "form", "from",
              "came", "fine", "a"}


def _kinds(source: str, expected: str, output: str | None = None) -> list[set[str]]:
    units = align_words(source, expected, source if output is None else output)
    return [word_kinds(units, index, VOCABULARY) for index in range(len(units))]


def test_each_word_gets_the_kinds_of_its_place():
    teh, cat, ir, hapy, today, fine = _kinds("teh cat ir hapy today fine", "the cat is happy today fine")
    assert teh == {"first word"}
    assert cat == {"adjacent", "real word"}  # both neighbours are wrong
    assert ir == {"short word", "adjacent"}
    assert hapy == {"adjacent"}
    assert today == {"adjacent", "real word"}  # after a wrong word
    assert fine == {"real word"}


def test_accented_letters_split_merge_and_right_short_words_are_kinds_too():
    it, came, inspite, cafe = _kinds("it came inspite café", "it came in spite café")
    assert it == {"first word", "short word", "real word"}  # a right short word is still a short word
    assert "split/merge" in inspite and "adjacent" in came
    assert "non-ASCII" in cafe and "short word" not in cafe


def test_recall_and_precision_count_errors_fixed_and_changes_right():
    scores = score_by_kind([("teh cat ir hapy today", "the cat is happy today", "the cut ir happy today"),
                            ("it came form a cafe", "it came from a cafe", "it came from an cafe")], VOCABULARY)
    everything = scores[ALL_WORDS]
    # errors: teh, ir, hapy, form; fixed: teh, hapy, form; changes: teh, cat->cut, hapy, form, a->an
    assert (everything.errors, everything.fixed, everything.changes, everything.right_changes) == (4, 3, 5, 3)
    short = scores["short word"]  # ir (missed), it and a (right words; a was changed to "an")
    assert (short.errors, short.fixed, short.changes, short.right_changes) == (1, 0, 1, 0)
    assert short.recall == 0.0 and short.precision == 0.0
    real = scores["real word"]  # form -> from is right, cat -> cut and a -> an are not
    assert (real.errors, real.fixed, real.changes, real.right_changes) == (1, 1, 3, 1)
    assert real.precision == pytest.approx(1 / 3)
    assert scores["first word"].recall == 1.0
    assert scores["split/merge"].recall is None and scores["split/merge"].precision is None


def test_a_do_nothing_corrector_has_no_recall_and_no_changes():
    scores = score_by_kind([("teh cat ir hapy", "the cat is happy", "teh cat ir hapy")], VOCABULARY)
    assert scores[ALL_WORDS].errors == 3 and scores[ALL_WORDS].recall == 0.0
    assert all(score.changes == 0 and score.precision is None for score in scores.values())


def test_eval_writes_the_kinds_into_report_json_and_md(run_cli, tmp_path):
    suite = tmp_path / "suite.jsonl"
    suite.write_text(json.dumps({"input": "Ther cat sat on teh mat.", "expected": "The cat sat on the mat."}) + "\n")
    result = run_cli(["eval", "--model", "identity", "--suite", str(suite), "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "report" / "report.json").read_text())
    assert list(report["by_error_kind"]) == [ALL_WORDS, *ERROR_KINDS]
    assert report["by_error_kind"][ALL_WORDS]["errors"] == 2
    assert report["by_error_kind"]["first word"] == {"errors": 1, "fixed": 0, "changes": 0, "right_changes": 0,
                                                     "recall": 0.0, "precision": None}
    markdown = (tmp_path / "report" / "report.md").read_text()
    assert "## By error kind" in markdown and "| first word | 1 | 0 | 0.0 | 0 | 0 | — |" in markdown


def test_compare_puts_two_runs_of_one_model_side_by_side_by_kind(run_cli, tmp_path):
    suite = tmp_path / "suite.jsonl"
    suite.write_text(json.dumps({"input": "teh cat ir hapy", "expected": "the cat is happy"}) + "\n")
    for name in ("before", "after"):
        assert run_cli(["eval", "--model", "identity", "--suite", str(suite), "--out", str(tmp_path / name)]).exit_code == 0
    # A report written before by_error_kind existed is scored from its cases.
    old = tmp_path / "before" / "report.json"
    data = json.loads(old.read_text())
    del data["by_error_kind"]
    data["cases"][0]["output"] = "the cat ir happy"
    old.write_text(json.dumps(data))
    result = run_cli(["compare", str(tmp_path / "before"), str(tmp_path / "after"), "--out", str(tmp_path / "cmp")])
    assert result.exit_code == 0, result.stderr
    markdown = (tmp_path / "cmp" / "compare.md").read_text()
    assert "| kind | errors | before recall / precision | after recall / precision |" in markdown
    assert "| all words | 3 | 66.7 / 100.0 | 0.0 / — |" in markdown
    assert "| short word | 1 | 0.0 / — | 0.0 / — |" in markdown
