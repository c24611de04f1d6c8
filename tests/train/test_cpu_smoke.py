"""The shipped cpu-smoke preset, as CI runs it: the embedded model, a tiny dataset built on the fly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_cpu_smoke_preset_trains_and_fix_uses_the_run(run_cli_process, tmp_path):
    run_dir = tmp_path / "cpu-smoke"
    trained = run_cli_process(["train", str(ROOT / "configs/train/cpu-smoke.yaml"), "--out", str(run_dir),
                               "--set", f"data.path={ROOT / 'configs/data/quick.yaml'}"])
    assert trained.returncode == 0, trained.stderr.decode()[-2000:]
    entries = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    losses = [e["loss"] for e in entries if "loss" in e]
    assert sum(losses[-2:]) / 2 < 0.8 * sum(losses[:2]) / 2
    assert any("eval_exact_match" in e for e in entries)
    adapter_config = json.loads((run_dir / "adapter" / "adapter_config.json").read_text())
    assert adapter_config["base_model_name_or_path"] == "smollm2-135m"
    fixed = run_cli_process(["fix", "--model", str(run_dir), "I beleive this is teh answr."])
    assert fixed.returncode == 0, fixed.stderr.decode()[-2000:]
    assert fixed.stdout.decode().count("\n") == 1
