"""Metrics on hand-computed values; bootstrap intervals deterministic and around the point estimate."""

import math

import pytest

from spelltune.spelling.metrics import (bootstrap_ci, character_accuracy, count_error_kind, majority_baseline,
                                        normalized_levenshtein, paired_difference_ci, perplexity,
                                        position_error_kind, summarize)


def test_character_accuracy_and_levenshtein():
    assert character_accuracy("bery", "berry") == pytest.approx(3 / 5)
    assert character_accuracy("berry", "berry") == 1.0
    assert normalized_levenshtein("bery", "berry") == pytest.approx(1 / 5)
    assert normalized_levenshtein("abc", "xyz") == 1.0


def test_bootstrap_is_deterministic_and_contains_the_point():
    outcomes = [1, 0, 1, 1, 0, 1, 0, 1, 1, 1] * 5
    first, second = bootstrap_ci(outcomes, seed=3), bootstrap_ci(outcomes, seed=3)
    assert first == second
    assert first.value == pytest.approx(0.7) and first.n == 50
    assert first.low < 0.7 < first.high
    assert 0.5 < first.low and first.high < 0.85
    assert bootstrap_ci([1] * 20).low == 1.0


def test_paired_difference():
    difference = paired_difference_ci([0, 0, 1, 1] * 10, [1, 0, 1, 1] * 10)
    assert difference.value == pytest.approx(0.25) and difference.low > 0


def test_error_kinds():
    assert count_error_kind(3, 3) == "correct"
    assert count_error_kind(2, 3) == "undercount-by-1"
    assert count_error_kind(6, 3) == "overcount-by-2+"
    assert count_error_kind(None, 3) == "no-number"
    assert position_error_kind("r", "strawberry", 3) == "correct"
    assert position_error_kind("a", "strawberry", 3) == "neighbour-letter"
    assert position_error_kind("y", "strawberry", 3) == "other-letter-in-word"
    assert position_error_kind("z", "strawberry", 3) == "letter-not-in-word"
    assert position_error_kind(None, "strawberry", 3) == "no-letter"


def test_majority_baseline_and_perplexity():
    assert majority_baseline(["1", "1", "2", "0"]) == {"answer": "1", "accuracy": 0.5}
    assert perplexity(2 * math.log(4), 2) == pytest.approx(4.0)


def test_summarize_by_kind_and_length():
    predictions = [
        {"kind": "count", "correct": True, "error_kind": "correct", "length_bin": "4-5", "answer": "1"},
        {"kind": "count", "correct": False, "error_kind": "overcount-by-1", "length_bin": "6-7", "answer": "1"},
        {"kind": "position", "correct": True, "error_kind": "correct", "length_bin": "4-5", "answer": "a"},
    ]
    summary = summarize(predictions)
    assert summary["accuracy"]["count"]["value"] == 0.5 and summary["accuracy"]["position"]["n"] == 1
    assert summary["by_length"]["count"]["6-7"]["value"] == 0.0
    assert summary["error_kinds"]["count"] == {"correct": 1, "overcount-by-1": 1}
    assert summary["length_bins"] == ["4-5", "6-7"]
