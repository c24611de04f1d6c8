"""Bounds for the pruned second pass: exact where they say so, never below the true score, on every engine."""

from __future__ import annotations

import importlib.util

import pytest

from spelltune.engine import load_engine
from spelltune.engine.bounds import ScoreBound, bounds_from_rows
from spelltune.prompt import build_prompt, build_training_example

needs_ctranslate2 = pytest.mark.skipif(importlib.util.find_spec("ctranslate2") is None,
                                       reason="ctranslate2 is not installed")

SOURCE = "I beleive this is teh correct answr."
VARIANTS = ["I believe this is the correct answer.", "I believe this is the correct answr.",
            "I believe this is teh correct answer.", "I beleive this is the correct answer.",
            "I believe this is the correct answer. Really.", "I", "We believe this is the correct answer."]


def _requests(engine):
    tokenizer = engine.tokenizer
    completions = [build_training_example(tokenizer, SOURCE, variant).completion for variant in VARIANTS]
    fluency = [" " + variant for variant in VARIANTS]
    return [(build_prompt(tokenizer, SOURCE), completions), ("Text:", fluency),
            ("Text:", [" I believe this is", " I believe this is the", " I believe that"])]


@pytest.fixture(scope="module")
def torch_engine(trained_tiny_model_dir):
    return load_engine(str(trained_tiny_model_dir), engine="torch", device="cpu")


def _check_bounds(engine, reference_engine):
    requests = _requests(engine)
    exact = reference_engine.score_many(requests)
    bounds = engine.score_bounds(requests)
    for bound_row, exact_row in zip(bounds, exact):
        assert len(bound_row) == len(exact_row)
        assert bound_row[0].exact and bound_row[0].value == pytest.approx(exact_row[0], abs=1e-3)
        for bound, value in zip(bound_row, exact_row):
            assert bound.value >= value - 1e-3  # an upper bound, always
            if bound.exact:
                assert bound.value == pytest.approx(value, abs=1e-3)
    # A continuation the first one starts with is exact; one that leaves it early is only bounded.
    assert bounds[2][0].exact and not bounds[2][2].exact
    assert any(not bound.exact and bound.value > value + 0.1 for bound, value in zip(bounds[0], exact[0]))


def test_torch_bounds_are_exact_for_the_first_continuation_and_above_every_other(torch_engine):
    _check_bounds(torch_engine, torch_engine)


@needs_ctranslate2
def test_ctranslate2_bounds_agree_with_torch_scores(torch_engine, trained_tiny_model_dir):
    ct2 = load_engine(str(trained_tiny_model_dir), engine="ctranslate2", device="cpu")
    _check_bounds(ct2, torch_engine)


def test_a_continuation_the_reference_starts_with_is_exact_and_one_that_leaves_it_is_bounded():
    table = {(0, 5): -1.0, (1, 6): -2.0, (2, 7): -0.5, (1, 9): -3.0, (3, 8): -4.0}
    bounds = bounds_from_rows([5, 6, 7], lambda row, token: table.get((row, token), -20.0),
                              [[5, 6, 7], [5, 6], [5, 9, 1, 2], [5, 6, 7, 8], []])
    assert bounds[0] == ScoreBound(-3.5, True) and bounds[1] == ScoreBound(-3.0, True)
    assert bounds[2] == ScoreBound(-4.0, False)  # -1 for 5, then -3 for leaving at 9; the rest unknown
    assert bounds[3] == ScoreBound(-7.5, False) and bounds[4] == ScoreBound(0.0, True)
