"""The study's validation metric: letter-count and letter-position accuracy on the validation words.

Asked exactly as the final evaluation asks (`answer_questions`: the same few-shot prompt, greedy
answers, the same parsers), so a checkpoint chosen on it is chosen for what the test measures. Only
validation words: the test split is never read here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spelltune.engine.base import Engine
from spelltune.spelling.evaluate import answer_questions, read_questions, select_questions
from spelltune.spelling.questions import KINDS

# Metric names as the trainer logs them (with its `eval_` prefix): one per kind and their mean.
METRIC_NAMES = {"count": "letter_count", "position": "letter_position"}
MEAN_METRIC = "letter_accuracy"


def validation_questions(data_dir: Path, per_type: int) -> list[dict[str, Any]]:
    """The first `per_type` questions of each kind in DATA/validation.jsonl (length-stratified by construction)."""
    return select_questions(read_questions(Path(data_dir) / "validation.jsonl"), per_type)


def answer_letter_questions(engine: Engine, questions: list[dict[str, Any]], batch_size: int = 16,
                            ) -> list[dict[str, Any]]:
    """The questions answered and scored with the final evaluation's few-shot prompt."""
    return answer_questions(engine, questions, few_shot=True, batch_size=batch_size)


def letter_metrics(engine: Engine, questions: list[dict[str, Any]], batch_size: int = 16) -> dict[str, float]:
    """Accuracy per question kind (`letter_count`, `letter_position`) and their unweighted mean (`letter_accuracy`)."""
    predictions = answer_letter_questions(engine, questions, batch_size)
    metrics: dict[str, float] = {}
    for kind in KINDS:
        outcomes = [p["correct"] for p in predictions if p["kind"] == kind]
        if outcomes:
            metrics[METRIC_NAMES[kind]] = sum(outcomes) / len(outcomes)
    if metrics:
        metrics[MEAN_METRIC] = sum(metrics.values()) / len(metrics)
    return metrics
