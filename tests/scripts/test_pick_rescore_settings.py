"""The rule that picks second-pass settings from a dev sweep."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pick_rescore_settings.py"
spec = importlib.util.spec_from_file_location("pick_rescore_settings", SCRIPT)
pick_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pick_module)


def _row(margin, penalty, exact, broken, kept="3/3"):
    return {"rescore.confusion_margin": margin, "rescore.distance_penalty": penalty,
            "own:dev exact %": exact, "own:dev broken": broken, "confusable pass-through kept": kept}


BASELINE = {"rescore.confusion_margin": "2", "rescore.distance_penalty": "1"}


def test_the_best_exact_wins_among_points_that_keep_correct_text_and_break_no_more_words():
    rows = [_row("2", "1", 80.0, 4), _row("1", "1", 95.0, 4, kept="2/3"),  # changed a correct sentence
            _row("3", "1", 90.0, 9),                                       # broke more words
            _row("3", "1.5", 85.0, 3), _row("4", "1.5", 85.0, 4)]
    assert pick_module.pick(rows, BASELINE) == rows[4]  # the tie goes to the larger margin


def test_when_nothing_beats_it_the_baseline_stays():
    rows = [_row("2", "1", 80.0, 4), _row("0", "1", 99.0, 7)]
    assert pick_module.pick(rows, BASELINE) == rows[0]


def test_a_baseline_that_is_no_single_sweep_point_is_an_error():
    with pytest.raises(SystemExit, match="baseline matches 0"):
        pick_module.pick([_row("3", "1", 80.0, 4)], BASELINE)
    with pytest.raises(SystemExit, match="no axis"):
        pick_module.pick([_row("2", "1", 80.0, 4)], {**BASELINE, "rescore.unknown": "1"})
