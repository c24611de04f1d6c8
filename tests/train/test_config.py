"""TrainConfig: every shipped preset loads and validates; bad files and overrides fail in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from spelltune.errors import ConfigError
from spelltune.train.config import TrainConfig, load_train_config

TRAIN_CONFIGS = sorted((Path(__file__).resolve().parents[2] / "configs" / "train").glob("*.yaml"))


def test_the_presets_named_in_the_plans_are_shipped():
    names = {path.stem for path in TRAIN_CONFIGS}
    assert {"cpu-smoke", "cpu-default", "colab-t4", "rtx5090", "h100-qwen3"} <= names


@pytest.mark.parametrize("path", TRAIN_CONFIGS, ids=lambda p: p.stem)
def test_every_shipped_config_loads_and_validates(path):
    config = load_train_config(path)
    assert isinstance(config, TrainConfig)
    data_path = Path(config.data.path)
    assert data_path.suffix in (".yaml", ".yml") or data_path.is_dir() or not data_path.exists()


def test_rtx5090_preset_matches_the_plan():
    config = load_train_config(Path("configs/train/rtx5090.yaml"))
    assert (config.batch_size, config.grad_accum, config.lr, config.epochs) == (24, 2, 2e-5, 3.0)
    assert (config.warmup_ratio, config.weight_decay, config.precision) == (0.03, 0.01, "bf16")
    assert config.tf32 and config.gradient_checkpointing and config.num_workers == 8


def test_overrides_reach_nested_sections_and_parse_values():
    config = load_train_config(None, ["lora.r=4", "lr=1e-4", "lora.target_modules=all-linear", "eval.target_accuracy=0.9"])
    assert config.lora.r == 4 and config.lr == 1e-4
    assert config.lora.target_modules == ["all-linear"] and config.eval.target_accuracy == 0.9


@pytest.mark.parametrize(
    "override, message",
    [
        ("lora.rank=4", "unknown key(s) rank"),
        ("batch_size=big", "expected int"),
        ("method=prefix", "unknown value 'prefix'"),
        ("eval.target_accuracy=90", "share in (0, 1]"),
        ("nonsense", "expected key=value"),
    ],
)
def test_bad_overrides_raise_config_error(override, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_train_config(None, [override])


def test_cli_reports_a_bad_config_in_one_line_with_exit_2(run_cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: smollm2-135m\nlora:\n  rank: 8\n")
    result = run_cli(["train", str(bad), "--out", str(tmp_path / "run")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "unknown key(s) rank" in result.stderr
    missing = run_cli(["train", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such config file" in missing.stderr


def test_qlora_on_the_cpu_is_a_clear_error(run_cli, tiny_config_file, tmp_path):
    result = run_cli(["train", str(tiny_config_file()), "--out", str(tmp_path / "run"), "--set", "method=qlora"])
    assert result.exit_code == 2
    assert "needs a CUDA GPU" in result.stderr and "method=lora" in result.stderr


def test_report_to_a_tracker_that_is_not_installed_says_what_to_install(monkeypatch):
    import importlib.util

    from spelltune.train.tracking import chosen_trackers

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name in ("wandb", "tensorboard") else real_find_spec(name))
    assert chosen_trackers(load_train_config(None, ["report_to=[auto]"]).report_to) == []
    with pytest.raises(ConfigError, match="pip install wandb"):
        chosen_trackers(load_train_config(None, ["report_to=[wandb]"]).report_to)
