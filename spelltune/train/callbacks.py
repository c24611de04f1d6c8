"""Trainer callbacks: the local metrics log and loss curve, and the rules that stop a run early."""

from __future__ import annotations

import json
import time
from pathlib import Path

from transformers import TrainerCallback

METRICS_FILE = "metrics.jsonl"
CURVE_FILE = "loss_curve.png"


class MetricsFileCallback(TrainerCallback):
    """Every log entry as one JSON line in RUN_DIR/metrics.jsonl, and the loss curve as a PNG.

    On resume the file is rewritten from the restored trainer state, so steps logged after the last
    checkpoint of the interrupted run are not counted twice.
    """

    def __init__(self, run_dir: Path):
        self.path = run_dir / METRICS_FILE
        self.curve = run_dir / CURVE_FILE

    def on_train_begin(self, args, state, control, **kwargs):
        if state.is_world_process_zero:
            with self.path.open("w", encoding="utf-8") as handle:
                for entry in state.log_history:
                    handle.write(json.dumps(entry) + "\n")

    def on_log(self, args, state, control, logs=None, **kwargs):
        if state.is_world_process_zero and state.log_history:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(state.log_history[-1]) + "\n")

    def on_evaluate(self, args, state, control, **kwargs):
        if state.is_world_process_zero:
            self._plot(state)

    def on_train_end(self, args, state, control, **kwargs):
        if state.is_world_process_zero:
            self._plot(state)

    def _plot(self, state) -> None:
        from spelltune.train.plots import plot_training_curves

        plot_training_curves(state.log_history, self.curve)


class StopRulesCallback(TrainerCallback):
    """Stop on a target validation metric, on no improvement for `patience` validations, or at a time budget.

    A stop by time also saves a checkpoint, so `--resume` can continue the run later.
    """

    def __init__(self, target_accuracy: float | None, patience: int | None, max_minutes: float | None,
                 metric: str = "eval_exact_match"):
        self.target_accuracy = target_accuracy
        self.patience = patience
        self.max_minutes = max_minutes
        self.metric = metric
        self.best: float | None = None
        self.validations_without_gain = 0
        self.started = time.perf_counter()
        self.stop_reason: str | None = None

    def on_train_begin(self, args, state, control, **kwargs):
        self.started = time.perf_counter()

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        value = (metrics or {}).get(self.metric)
        if value is None:
            return
        if self.target_accuracy is not None and value >= self.target_accuracy:
            self._stop(control, f"validation {self.metric.removeprefix('eval_')} {value:.1%} reached the target "
                                f"{self.target_accuracy:.1%}")
            return
        better = value < self.best if self.best is not None and self.metric == "eval_loss" else (
            self.best is None or value > self.best)
        if better:
            self.best, self.validations_without_gain = value, 0
        else:
            self.validations_without_gain += 1
            if self.patience is not None and self.validations_without_gain >= self.patience:
                self._stop(control, f"no better validation {self.metric.removeprefix('eval_')} for {self.patience} validations")

    def on_step_end(self, args, state, control, **kwargs):
        if self.max_minutes is not None and time.perf_counter() - self.started >= self.max_minutes * 60:
            self._stop(control, f"time budget of {self.max_minutes:g} minutes reached")

    def _stop(self, control, reason: str) -> None:
        self.stop_reason = self.stop_reason or reason
        control.should_training_stop = True
        control.should_save = True
