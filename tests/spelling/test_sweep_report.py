"""The sweep's analysis: every run with intervals, effects against the reference, selection on validation."""

from __future__ import annotations

import json

import pytest
import yaml

from spelltune.spelling.sweep_report import (
    effects,
    factor_importance,
    read_sweep_runs,
    render_sweep_section,
    selected_run,
)

RUNS = {  # name: (overrides, method, validation count, position, kept step); stage 2 extends a stage-1 point
    "reference": ([], "lora", 0.40, 0.20, 120),
    "control": (["data.path=runs/spelling/control"], "lora", 0.60, 0.30, 60),
    "lr-1e-3": (["lr=1e-3"], "lora", 0.50, 0.30, 120),
    "full": (["method=full", "lr=2e-5"], "full", 0.30, 0.10, 60),
    "control-mismatched": (["data.path=runs/spelling/control-mismatched"], "lora", 0.70, 0.40, 60),
}
STAGE2 = {
    "long-lr-1e-3": (["lr=1e-3", "max_steps=600", "eval.every_steps=150", "save_every_steps=150"], "lora",
                     0.60, 0.30, 450),
    "seed1-lr-1e-3": (["lr=1e-3", "seed=1"], "lora", 0.50, 0.20, 120),
}


@pytest.fixture
def sweep_dir(tmp_path):
    return _sweep(tmp_path, RUNS)


def _sweep(tmp_path, runs):
    rows = []
    for name, (overrides, method, count, position, kept) in runs.items():
        run = tmp_path / name
        run.mkdir()
        config = {"method": method, "lr": 2e-4, "lora": {"r": 16, "alpha": 32, "target_modules": ["q_proj"]},
                  "data": {"path": "runs/spelling/control" if name == "control" else "runs/spelling/data"},
                  "eval": {"letter_questions_per_type": 100}}
        (run / "config.yaml").write_text(yaml.safe_dump(config))
        summary = {"eval_letter_count": count, "eval_letter_position": position,
                   "eval_letter_accuracy": (count + position) / 2, "global_step": 120, "kept_step": kept,
                   "train_minutes": 5.0, "seconds_per_step": 2.5, "peak_memory_mb": 3000.0}
        (run / "train_summary.json").write_text(json.dumps(summary))
        (run / "metrics.jsonl").write_text("".join(json.dumps({"step": s, "eval_letter_accuracy": v}) + "\n"
                                                   for s, v in ((60, 0.2), (120, (count + position) / 2))))
        rows.append({"run": name, "overrides": overrides})
    rows.append({"run": "unfinished", "overrides": ["lr=1"]})
    (tmp_path / "sweep.json").write_text(json.dumps(rows))
    return tmp_path


def test_selection_is_the_best_spelling_run_on_validation_never_the_control(sweep_dir):
    runs = read_sweep_runs(sweep_dir)
    assert [r.name for r in runs] == ["reference", "control", "lr-1e-3", "full", "control-mismatched"]
    assert selected_run(runs).name == "lr-1e-3"


def test_effects_are_differences_from_the_reference_with_intervals(sweep_dir):
    rows = {r["run"]: r for r in effects(read_sweep_runs(sweep_dir))}
    assert set(rows) == {"control", "lr-1e-3", "full", "control-mismatched"}
    assert rows["lr-1e-3"]["effect"]["value"] == pytest.approx(0.10)
    assert rows["full"]["effect"]["value"] == pytest.approx(-0.10)
    effect = rows["lr-1e-3"]["effect"]
    assert effect["low"] < 0.10 < effect["high"] and effect["high"] - effect["low"] < 0.25  # n=200 per side
    importance = factor_importance(list(rows.values()))
    assert importance["data.path"] == pytest.approx(0.25) and list(importance)[0] == "data.path"


def test_the_section_tables_every_run_and_writes_its_plots(sweep_dir, tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    base_validation = {"accuracy": {"count": {"value": 0.45}, "position": {"value": 0.2}}}
    evals = [_eval("eval-test-base", [1, 0, 1, 0]), _eval("eval-test-selected", [1, 1, 1, 0]),
             _eval("eval-test-control", [0, 0, 1, 0])]
    text = render_sweep_section(sweep_dir, out, evals, base_validation, ["eval-test-control"])
    for name in ("base (no training)", "**reference**", "**control**", "**lr-1e-3**", "**full**"):
        assert name in text
    assert "40.0% [" in text and "Selected on validation:** `lr-1e-3`" in text
    assert "LoRA against full fine-tuning" in text and "| full | all weights |" in text
    assert "| eval-test-selected | +50.0% [" in text  # paired against the control: 3/4 vs 1/4 right
    assert "lost" not in text  # the control answers in the asked form
    assert (out / "importance.png").stat().st_size > 5000 and (out / "validation_curves.png").stat().st_size > 5000


def _eval(label, outcomes, error_kind="other"):
    predictions = [{"id": f"q{i}", "kind": kind, "correct": bool(right),
                    "error_kind": "correct" if right else error_kind}
                   for kind in ("count", "position") for i, right in enumerate(outcomes)]
    return {"label": label, "summary": {}, "predictions": predictions}


def test_stage_two_runs_are_measured_against_the_setting_they_extend(tmp_path):
    rows = {r["run"]: r for r in effects(read_sweep_runs(_sweep(tmp_path, {**RUNS, **STAGE2})))}
    assert (rows["long-lr-1e-3"]["against"], rows["long-lr-1e-3"]["changed"]) == ("lr-1e-3", "max_steps")
    assert rows["long-lr-1e-3"]["effect"]["value"] == pytest.approx(0.05)
    assert (rows["seed1-lr-1e-3"]["against"], rows["seed1-lr-1e-3"]["changed"]) == ("lr-1e-3", "seed")
    assert rows["seed1-lr-1e-3"]["effect"]["value"] == pytest.approx(-0.05)
    assert (rows["lr-1e-3"]["against"], rows["full"]["against"]) == ("reference", "reference")
    assert factor_importance(list(rows.values()))["seed"] == pytest.approx(0.05)


def test_each_control_gets_its_own_paired_table_and_one_that_stopped_answering_is_called_out(sweep_dir, tmp_path):
    evals = [_eval("eval-test-base", [1, 0, 1, 0]), _eval("eval-test-selected", [1, 1, 1, 0]),
             _eval("eval-test-control", [0, 0, 0, 0], error_kind="no-number"),
             _eval("eval-test-control-mismatched", [1, 0, 1, 0])]
    text = render_sweep_section(sweep_dir, tmp_path, evals, None, ["eval-test-control", "eval-test-control-mismatched"])
    against_plain = text.split("against `eval-test-control`")[1].split("**")[1]
    against_matched = text.split("against `eval-test-control-mismatched`")[1].split("**")[1]
    assert "| eval-test-selected | +75.0% [" in against_plain
    assert "| eval-test-selected | +25.0% [" in against_matched
    assert "eval-test-control-mismatched |" not in against_plain  # a control is never compared as a treatment
    assert "an answer format the control lost" in against_plain and "lost" not in against_matched
