"""Stage 2 of the spelling study is chosen on validation only: the best spelling run, never the control."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "spelling_stage2_points.py"
spec = importlib.util.spec_from_file_location("spelling_stage2_points", SCRIPT)
stage2 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(stage2)

STAGE1 = {"reference": [], "control": ["data.path=c"], "lr-1e-3": ["lr=1e-3"], "rank-4": ["lora.r=4"]}


def test_the_long_run_and_second_seeds_follow_the_best_spelling_runs_not_the_control():
    rows = [{"run": "reference", "eval_letter_accuracy": 0.30}, {"run": "control", "eval_letter_accuracy": 0.50},
            {"run": "lr-1e-3", "eval_letter_accuracy": 0.40}, {"run": "rank-4", "eval_letter_accuracy": None},
            {"run": "control-mismatched", "eval_letter_accuracy": 0.9}]
    points = stage2.stage2_points(rows, STAGE1, long_steps=1500, every=300)
    assert list(points)[:4] == list(STAGE1) and points["control"] == ["data.path=c"]
    assert points["long-lr-1e-3"] == ["lr=1e-3", "max_steps=1500", "eval.every_steps=300", "save_every_steps=300"]
    assert points["seed1-lr-1e-3"] == ["lr=1e-3", "seed=1"] and points["seed1-reference"] == ["seed=1"]
    assert len(points) == 7


def test_fewer_than_two_finished_spelling_runs_is_an_error():
    with pytest.raises(SystemExit, match="at least two"):
        stage2.stage2_points([{"run": "reference", "eval_letter_accuracy": 0.3}], STAGE1, 1500, 300)
