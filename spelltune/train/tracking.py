"""Experiment trackers a run reports to, all of them local: TensorBoard event files in RUN_DIR/tensorboard and
Weights & Biases in offline mode in RUN_DIR/wandb (sync later with `wandb sync`); nothing needs a network
or an account.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spelltune.errors import ConfigError

TENSORBOARD_DIR = "tensorboard"
WANDB_DIR = "wandb"
# The tracker's import name when it differs from nothing else; `auto` picks the installed ones of these.
AUTO_TRACKERS = ("tensorboard", "wandb")
PACKAGES = {"wandb": "wandb", "mlflow": "mlflow", "tensorboard": "tensorboard", "comet_ml": "comet_ml"}


@dataclass
class Trackers:
    """What TrainingArguments.report_to gets, and the callbacks spelltune adds itself."""

    report_to: list[str] | str = "none"
    callbacks: list[Any] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def chosen_trackers(report_to: list[str]) -> list[str]:
    """The trackers `report_to` names, `auto` expanded to the installed ones; ConfigError for a missing package."""
    named = [t for t in report_to if t != "auto"]
    if "auto" in report_to:
        named += [t for t in AUTO_TRACKERS if t not in named and importlib.util.find_spec(PACKAGES[t]) is not None]
    for target in named:
        module = PACKAGES.get(target)
        if module and importlib.util.find_spec(module) is None:
            raise ConfigError(f"report_to {target}: the {module} package is not installed (pip install {module})")
    return list(dict.fromkeys(named))


def set_up_trackers(report_to: list[str], run_dir: Path) -> Trackers:
    """Trackers writing into RUN_DIR: TensorBoard's callback pointed at RUN_DIR/tensorboard, W&B offline in RUN_DIR.

    W&B stays offline unless the user set WANDB_MODE themselves.
    """
    names = chosen_trackers(report_to)
    callbacks: list[Any] = []
    if "tensorboard" in names:
        from transformers.integrations import TensorBoardCallback

        callback = TensorBoardCallback()
        callback.logging_dir = str(run_dir / TENSORBOARD_DIR)
        callbacks.append(callback)
    if "wandb" in names:
        os.environ.setdefault("WANDB_MODE", "offline")
        os.environ["WANDB_DIR"] = str(run_dir)
        os.environ.setdefault("WANDB_PROJECT", "spelltune")
        (run_dir / WANDB_DIR).mkdir(parents=True, exist_ok=True)
    passed_on = [n for n in names if n != "tensorboard"]
    return Trackers(report_to=passed_on or "none", callbacks=callbacks, names=names)
