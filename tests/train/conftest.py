"""Fixtures for the train tests: a small real dataset and a config that trains the tiny Llama fast."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


@pytest.fixture(scope="session")
def tiny_dataset_dir(tmp_path_factory) -> Path:
    """200 pairs built by the data stage from the quick preset (embedded sources, ~2 s)."""
    from spelltune.data.build import build_dataset
    from spelltune.data.config import load_data_config

    out = tmp_path_factory.mktemp("train-data")
    build_dataset(load_data_config(CONFIGS / "data" / "quick.yaml", ["pairs=200"]), out)
    return out


def tiny_train_settings(model_dir: Path, data_dir: Path, **changes) -> dict:
    """A config mapping that trains the 2-layer tiny Llama for a few steps on one thread."""
    settings = {
        "model": str(model_dir),
        "method": "lora",
        "lora": {"r": 8, "alpha": 16, "dropout": 0.0, "target_modules": ["all-linear"]},
        "data": {"path": str(data_dir)},
        "eval": {"every_steps": 4, "loss_pairs": 8, "exact_match_pairs": 4, "batch_size": 4},
        "seed": 0,
        "max_steps": 8,
        "batch_size": 4,
        "lr": 1.0e-2,
        "lr_scheduler": "constant",
        "warmup_ratio": 0.0,
        "precision": "fp32",
        "device": "cpu",
        "threads": 1,  # ops this small run ~10x faster on one thread when cores are shared
        "save_every_steps": 4,
        "save_total_limit": 3,
        "logging_steps": 1,
        "report_to": [],
    }
    for key, value in changes.items():
        section, _, name = key.partition(".")
        if name:
            settings[section] = {**settings[section], name: value}
        else:
            settings[key] = value
    return settings


@pytest.fixture
def tiny_config_file(tiny_model_dir, tiny_dataset_dir, tmp_path):
    """Write a tiny-model train config YAML (with optional changes) and return its path."""

    def write(**changes) -> Path:
        path = tmp_path / "tiny.yaml"
        path.write_text(yaml.safe_dump(tiny_train_settings(tiny_model_dir, tiny_dataset_dir, **changes)))
        return path

    return write
