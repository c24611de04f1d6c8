"""Two CPU processes (gloo) train one tiny run through `accelerate launch -m spelltune train`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ACCELERATE_CONFIGS = sorted((Path(__file__).resolve().parents[2] / "configs" / "accelerate").glob("*.yaml"))


def test_accelerate_configs_are_valid_yaml_for_a_known_engine():
    assert {p.stem for p in ACCELERATE_CONFIGS} >= {"ddp", "fsdp", "deepspeed-zero2"}
    for path in ACCELERATE_CONFIGS:
        config = yaml.safe_load(path.read_text())
        assert config["distributed_type"] in {"MULTI_GPU", "FSDP", "DEEPSPEED"}, path.name


def test_two_process_ddp_on_the_cpu(tiny_config_file, tmp_path):
    config = tiny_config_file(max_steps=4, **{"eval.every_steps": 4, "eval.exact_match_pairs": 4})
    run_dir = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", "2",
               "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no",
               "-m", "spelltune", "train", str(config), "--out", str(run_dir)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads((run_dir / "train_summary.json").read_text())
    # Without use_cpu, two launchers would run two world-size-1 trainings into one folder: check it is one run.
    assert summary["world_size"] == 2
    assert summary["global_step"] == 4 and summary["eval_exact_match"] is not None
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert done.stdout.count("steps 4") == 1  # only rank 0 reports
