"""`train_model`: a TrainConfig in, a run directory out (adapter or weights, manifest, metrics, card)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spelltune.atomic import atomic_directory, publish_directory
from spelltune.errors import ConfigError
from spelltune.train.callbacks import MetricsFileCallback, StopRulesCallback
from spelltune.train.checkpoints import discard_incomplete_checkpoints, last_checkpoint
from spelltune.train.config import VALIDATION_METRICS, TrainConfig, save_train_config
from spelltune.train.run_dir import (
    CONFIG_FILE,
    set_adapter_base,
    write_manifest,
    write_model_card,
    write_summary,
)
from spelltune.train.trainer import setup_training

log = logging.getLogger("spelltune.train")


@dataclass
class TrainResult:
    """What a run produced: its folder, the folder `spelltune fix --model RUN_DIR` loads, and its numbers."""

    run_dir: Path
    model_dir: Path
    summary: dict[str, Any]


def _status(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def train_model(config: TrainConfig, run_dir: Path | str, resume: bool = False, merge: bool = False,
                callbacks: list[Any] | None = None) -> TrainResult:
    """Train per `config` into `run_dir`; with `resume`, continue from its last checkpoint.

    `callbacks` are extra transformers TrainerCallbacks (progress hooks, custom stop rules).
    """
    import torch

    config.validate()
    run_dir = Path(run_dir)
    checkpoint = last_checkpoint(run_dir)
    if checkpoint is not None and not resume:
        raise ConfigError(f"{run_dir} already holds checkpoints: pass --resume to continue it, or choose another --out")
    if config.threads:
        torch.set_num_threads(config.threads)
    run_dir.mkdir(parents=True, exist_ok=True)
    if int(os.environ.get("RANK", "0")) == 0:
        for path in discard_incomplete_checkpoints(run_dir):
            _status(f"removed {path.name}: a killed run left it half-written")
    stop_rules = StopRulesCallback(config.eval.target_accuracy, config.eval.early_stopping_patience, config.max_minutes,
                                   metric=f"eval_{config.eval.metric}")
    setup = setup_training(config, run_dir, callbacks=[MetricsFileCallback(run_dir), stop_rules, *(callbacks or [])],
                           on_status=_status)
    trainer, args, loaded, data = setup.trainer, setup.args, setup.model, setup.data
    device, precision = setup.device, setup.precision
    train_pairs, dropped = setup.train_pairs, setup.dropped_pairs
    main_process = args.process_index == 0
    evaluating = args.eval_strategy != "no"
    if main_process:
        save_train_config(config, run_dir / CONFIG_FILE)
        trainable = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
        _status(f"training {len(train_pairs):,} pairs ({dropped} too long), {trainable:,} trainable parameters"
                + (f", resuming from {checkpoint.name}" if checkpoint is not None else ""))

    started = time.perf_counter()
    output = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint is not None else None)
    minutes = (time.perf_counter() - started) / 60
    final_eval: dict[str, float] = {}
    best_step = _best_step(trainer.state.best_model_checkpoint) if config.eval.keep_best else None
    if best_step is not None:  # the trainer reloaded the best checkpoint: report what was measured there
        final_eval = _eval_at(trainer.state.log_history, best_step)
    elif evaluating and not _evaluated_at(trainer.state.log_history, trainer.state.global_step):
        final_eval = trainer.evaluate()
    elif evaluating:
        final_eval = _last_eval(trainer.state.log_history)

    model_dir = run_dir / ("model" if config.method == "full" else "adapter")
    # Saved beside its final name and renamed when complete: a run killed while saving never leaves a
    # half-written adapter where the old one (or none) was.
    staging = run_dir / f".{model_dir.name}.partial"
    if main_process:
        shutil.rmtree(staging, ignore_errors=True)
    trainer.accelerator.wait_for_everyone()
    trainer.save_model(str(staging))
    summary = _summary(trainer.state.log_history, output.metrics, final_eval, trainer.state, minutes)
    summary.update(train_pairs=len(train_pairs), dropped_pairs=dropped, stop_reason=stop_rules.stop_reason,
                   kept_step=best_step if best_step is not None else trainer.state.global_step,
                   data_dir=str(data.data_dir), world_size=args.world_size, device=device, precision=precision)
    trainer.accelerator.wait_for_everyone()
    if main_process:
        if config.method != "full":
            set_adapter_base(staging, loaded.adapter_base)
        publish_directory(staging, model_dir)
        if merge:
            model_dir = save_merged(run_dir, model_dir, config.method)
        summary["model_dir"] = model_dir.name
        write_summary(run_dir, summary)
        write_manifest(run_dir, model_dir.name, config, summary)
        write_model_card(run_dir, config, summary, data.data_dir)
        _status(f"done: {run_dir} (model in {model_dir.name}/)")
    trainer.accelerator.wait_for_everyone()
    return TrainResult(run_dir=run_dir, model_dir=model_dir, summary=summary)


def save_merged(run_dir: Path, model_dir: Path, method: str) -> Path:
    """Merged full weights in RUN_DIR/merged: the base reloaded in full precision plus the adapter."""
    merged_dir = run_dir / "merged"
    if method == "full":
        return model_dir
    from spelltune.models.loading import load_model

    merged = load_model(str(model_dir), device="cpu", dtype="float32")  # adapters merge on load
    with atomic_directory(merged_dir) as staging:
        merged.model.save_pretrained(staging)
        merged.tokenizer.save_pretrained(staging)
    return merged_dir


def _evaluated_at(log_history: list[dict[str, Any]], step: int) -> bool:
    return any("eval_loss" in e or "eval_exact_match" in e for e in log_history if e.get("step") == step)


def _best_step(checkpoint: str | None) -> int | None:
    if not checkpoint:
        return None
    return int(Path(checkpoint).name.rsplit("-", 1)[-1])


def _eval_at(log_history: list[dict[str, Any]], step: int) -> dict[str, float]:
    evals = [e for e in log_history if e.get("step") == step and any(k.startswith("eval_") for k in e)]
    return evals[-1] if evals else {}


def _last_eval(log_history: list[dict[str, Any]]) -> dict[str, float]:
    evals = [e for e in log_history if any(k.startswith("eval_") for k in e)]
    return evals[-1] if evals else {}


def _median(values: list[float]) -> float | None:
    values = sorted(values)
    return values[len(values) // 2] if values else None


def _summary(log_history, train_metrics, final_eval, state, minutes) -> dict[str, Any]:
    train_logs = [e for e in log_history if "loss" in e]
    speed = [e for e in train_logs if "seconds_per_step" in e]
    summary: dict[str, Any] = {
        "global_step": state.global_step,
        "epoch": state.epoch,
        "train_minutes": round(minutes, 2),
        "final_train_loss": train_logs[-1]["loss"] if train_logs else None,
        "first_train_loss": train_logs[0]["loss"] if train_logs else None,
        "train_loss_mean": train_metrics.get("train_loss"),
        "seconds_per_step": _median([e["seconds_per_step"] for e in speed]),
        "tokens_per_second": _median([e["tokens_per_second"] for e in speed]),
        "peak_memory_mb": max((e.get("peak_memory_mb", 0) for e in train_logs), default=None),
        "num_tokens": train_logs[-1].get("num_tokens") if train_logs else None,
    }
    for key, value in final_eval.items():
        if key.startswith("eval_") and key.removeprefix("eval_") in VALIDATION_METRICS:
            summary[key] = value
    return json.loads(json.dumps(summary, default=float))
