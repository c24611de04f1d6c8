"""Scores: accuracy with seeded bootstrap confidence intervals, character accuracy, Levenshtein, error kinds."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
from rapidfuzz.distance import Levenshtein

BOOTSTRAP_SAMPLES = 2000


@dataclass(frozen=True)
class Interval:
    """A point estimate and its bootstrap confidence interval."""

    value: float
    low: float
    high: float
    n: int

    def to_dict(self) -> dict[str, float | int]:
        """Plain numbers for JSON."""
        return {"value": self.value, "low": self.low, "high": self.high, "n": self.n}


def bootstrap_ci(outcomes: Iterable[float], level: float = 0.95, samples: int = BOOTSTRAP_SAMPLES,
                 seed: int = 0) -> Interval:
    """Mean of `outcomes` with a percentile bootstrap interval (seeded, so the same data gives the same CI)."""
    values = np.asarray(list(outcomes), dtype=float)
    if values.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, values.size, size=(samples, values.size))].mean(axis=1)
    tail = (1.0 - level) / 2
    low, high = np.quantile(means, [tail, 1.0 - tail])
    point = float(values.mean())
    return Interval(point, min(float(low), point), max(float(high), point), int(values.size))


def paired_difference_ci(first: list[float], second: list[float], level: float = 0.95,
                         samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> Interval:
    """`mean(second) - mean(first)` over the same questions, resampling questions jointly."""
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if a.size != b.size:
        raise ValueError("paired outcomes must be the same length")
    return bootstrap_ci(b - a, level=level, samples=samples, seed=seed)


def character_accuracy(predicted: str, expected: str) -> float:
    """Share of positions (over the longer string) holding the same character: `bery` vs `berry` -> 3/5."""
    longest = max(len(predicted), len(expected))
    if longest == 0:
        return 1.0
    return sum(p == e for p, e in zip(predicted, expected)) / longest


def normalized_levenshtein(predicted: str, expected: str) -> float:
    """Edit distance divided by the longer length (0 identical, 1 nothing in common), via rapidfuzz."""
    return float(Levenshtein.normalized_distance(predicted, expected))


def count_error_kind(predicted: int | None, expected: int) -> str:
    """correct, no-number, undercount-by-1, overcount-by-1, undercount-by-2+, overcount-by-2+."""
    if predicted is None:
        return "no-number"
    gap = predicted - expected
    if gap == 0:
        return "correct"
    direction = "overcount" if gap > 0 else "undercount"
    return f"{direction}-by-1" if abs(gap) == 1 else f"{direction}-by-2+"


def position_error_kind(predicted: str | None, word: str, position: int) -> str:
    """correct, no-letter, neighbour-letter (off by one place), other-letter-in-word, letter-not-in-word."""
    if predicted is None:
        return "no-letter"
    if predicted == word[position - 1]:
        return "correct"
    neighbours = {word[i] for i in (position - 2, position) if 0 <= i < len(word)}
    if predicted in neighbours:
        return "neighbour-letter"
    return "other-letter-in-word" if predicted in word else "letter-not-in-word"


def majority_baseline(answers: list[str]) -> dict[str, Any]:
    """The accuracy of always giving the most common gold answer (what a model that ignores the word gets)."""
    if not answers:
        return {"answer": None, "accuracy": float("nan")}
    answer, hits = sorted(Counter(answers).items(), key=lambda item: (-item[1], item[0]))[0]
    return {"answer": answer, "accuracy": hits / len(answers)}


def perplexity(total_nll: float, total_tokens: int) -> float:
    """exp(mean negative log-likelihood per token)."""
    return math.exp(total_nll / total_tokens) if total_tokens else float("nan")


def summarize(predictions: list[dict[str, Any]], seed: int = 0) -> dict[str, Any]:
    """Accuracy per question kind (with CIs), by word length bin, error kinds, and spelling-probe scores."""
    summary: dict[str, Any] = {"accuracy": {}, "by_length": defaultdict(dict), "error_kinds": {}}
    for kind in sorted({p["kind"] for p in predictions}):
        rows = [p for p in predictions if p["kind"] == kind]
        if kind == "spell":
            summary["spelling"] = {
                "exact": bootstrap_ci([float(r["correct"]) for r in rows], seed=seed).to_dict(),
                "character_accuracy": bootstrap_ci([r["character_accuracy"] for r in rows], seed=seed).to_dict(),
                "normalized_levenshtein": bootstrap_ci([r["normalized_levenshtein"] for r in rows], seed=seed).to_dict(),
            }
            continue
        summary["accuracy"][kind] = bootstrap_ci([float(r["correct"]) for r in rows], seed=seed).to_dict()
        summary.setdefault("majority_baseline", {})[kind] = majority_baseline([r["answer"] for r in rows])
        summary["error_kinds"][kind] = dict(sorted(Counter(r["error_kind"] for r in rows).items()))
        for label in sorted({r["length_bin"] for r in rows}, key=lambda lab: int(lab.split("-")[0])):
            in_bin = [float(r["correct"]) for r in rows if r["length_bin"] == label]
            summary["by_length"][kind][label] = bootstrap_ci(in_bin, seed=seed).to_dict()
    summary["by_length"] = dict(summary["by_length"])
    summary["length_bins"] = sorted({p["length_bin"] for p in predictions}, key=lambda lab: int(lab.split("-")[0]))
    return summary


def paired_differences(base: dict[str, Any], other: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """Accuracy of `other` minus `base` on the questions both answered, with a paired bootstrap CI."""
    first = {p["id"]: float(p["correct"]) for p in base["predictions"] if p["kind"] == kind}
    second = {p["id"]: float(p["correct"]) for p in other["predictions"] if p["kind"] == kind}
    shared = sorted(set(first) & set(second))
    if not shared:
        return None
    return paired_difference_ci([first[i] for i in shared], [second[i] for i in shared]).to_dict()
