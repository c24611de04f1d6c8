"""`spelltune sweep`: a grid or named points, each an ordinary tracked run, then one table and one plot."""

from __future__ import annotations

import json

import pytest

from spelltune.models.loading import RUN_MANIFEST


def test_sweep_runs_the_grid_and_writes_a_table_and_heatmap(run_cli, tiny_config_file, tmp_path):
    config = tiny_config_file(max_steps=2, **{"eval.every_steps": 2, "eval.exact_match_pairs": 2})
    out = tmp_path / "sweep"
    result = run_cli(["sweep", str(config), "--grid", "lora.r=2,4", "lr=1e-3,5e-3", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    runs = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert runs == ["lora.r=2_lr=1e-3", "lora.r=2_lr=5e-3", "lora.r=4_lr=1e-3", "lora.r=4_lr=5e-3"]
    assert all((out / name / RUN_MANIFEST).is_file() for name in runs)
    assert (out / "heatmap.png").stat().st_size > 1000 and (out / "sweep.md").is_file()
    rows = json.loads((out / "sweep.json").read_text())
    assert len(rows) == 4 and all(row["eval_exact_match"] is not None for row in rows)
    assert "| run | lora.r | lr | eval_exact_match" in result.stdout



def test_named_points_train_with_the_letter_metric_and_are_tabulated(run_cli, tiny_config_file, tiny_spelling_data,
                                                                      tmp_path):
    import importlib.util

    config = tiny_config_file(max_steps=2, save_every_steps=2, **{
        "data.path": str(tiny_spelling_data), "eval.every_steps": 2, "eval.exact_match_pairs": 0,
        "eval.loss_pairs": 4, "eval.letter_questions_per_type": 2, "eval.metric": "letter_accuracy",
        "eval.keep_best": True, "report_to": ["auto"]})
    points = tmp_path / "points.yaml"
    points.write_text("reference: []\nattention-only: ['lora.target_modules=[q_proj,v_proj]', lr=1e-3]\n")
    out = tmp_path / "sweep"
    result = run_cli(["sweep", str(config), "--points", str(points), "--metric", "eval_letter_accuracy",
                      "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    rows = json.loads((out / "sweep.json").read_text())
    assert [r["run"] for r in rows] == ["reference", "attention-only"]
    assert rows[0]["params"] == {"lora.target_modules": "all-linear", "lr": 0.01}  # the base config's values
    assert rows[1]["params"] == {"lora.target_modules": "q_proj,v_proj", "lr": 0.001}
    assert all(r["eval_letter_accuracy"] is not None and r["kept_step"] == 2 for r in rows)
    for name in ("reference", "attention-only"):
        run = out / name
        assert (run / RUN_MANIFEST).is_file() and (run / "metrics.jsonl").is_file()
        if importlib.util.find_spec("tensorboard") is not None:
            assert any((run / "tensorboard").glob("events.out.tfevents.*"))
    adapter_config = json.loads((out / "attention-only" / "adapter" / "adapter_config.json").read_text())
    assert sorted(adapter_config["target_modules"]) == ["q_proj", "v_proj"]
    assert (out / "sweep.png").stat().st_size > 1000
    assert "| run | lora.target_modules | lr | eval_letter_accuracy" in result.stdout
    again = run_cli(["sweep", str(config), "--points", str(points), "--out", str(out), "--metric",
                     "eval_letter_accuracy"])
    assert again.exit_code == 0 and again.stdout.count("finished before, skipped") == 2


@pytest.mark.parametrize("text,message", [
    ("- just a list\n", "expected a mapping"),
    ("a: [lr]\n", "expected a list of key=value"),
    ("a: [nonsense=1]\n", "unknown key"),
    ("../up: []\n", "not a usable run folder name"),
])
def test_a_bad_points_file_is_one_clear_error(run_cli, tiny_config_file, tmp_path, text, message):
    points = tmp_path / "points.yaml"
    points.write_text(text)
    result = run_cli(["sweep", str(tiny_config_file()), "--points", str(points), "--out", str(tmp_path / "s")])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").iterdir())


def test_a_run_that_fails_stops_the_sweep_with_its_name(run_cli, tiny_config_file, tmp_path):
    config = tiny_config_file(max_steps=1)
    points = tmp_path / "points.yaml"
    points.write_text(f"broken: [model={tmp_path / 'no-such-model'}]\nafter: []\n")
    out = tmp_path / "sweep"
    result = run_cli(["sweep", str(config), "--points", str(points), "--out", str(out)])
    assert result.exit_code != 0 and "sweep run broken failed" in result.stderr
    assert "Traceback" not in result.stderr and not (out / "after").exists()
