"""The study's dashboard: accuracy comparison, training curves, sweep results, errors, accuracy by length."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spelltune.jsonl import read_jsonl_objects

KIND_TITLES = {"count": "letter count", "position": "letter position"}
SWEEP_METRICS = ("eval_letter_accuracy", "eval_exact_match", "eval_loss", "final_train_loss")


def _empty(axis: Any, title: str, message: str) -> None:
    axis.set_title(title)
    axis.text(0.5, 0.5, message, ha="center", va="center", fontsize=9, wrap=True, transform=axis.transAxes)
    axis.set_axis_off()


def _accuracy_panel(axis: Any, evals: list[dict[str, Any]]) -> None:
    kinds = [k for k in KIND_TITLES if any(k in e["summary"]["accuracy"] for e in evals)]
    width = 0.8 / max(len(evals), 1)
    for index, evaluation in enumerate(evals):
        accuracy = evaluation["summary"]["accuracy"]
        values = [accuracy[k]["value"] for k in kinds]
        errors = [[accuracy[k]["value"] - accuracy[k]["low"] for k in kinds],
                  [accuracy[k]["high"] - accuracy[k]["value"] for k in kinds]]
        positions = [i + index * width for i in range(len(kinds))]
        axis.bar(positions, values, width, yerr=errors, capsize=3, label=evaluation["label"])
    for i, kind in enumerate(kinds):
        majority = evals[0]["summary"].get("majority_baseline", {}).get(kind, {}).get("accuracy")
        if majority is not None:
            axis.hlines(majority, i - width / 2, i + width * (len(evals) - 0.5), colors="black", linestyles="dashed",
                        label="always the commonest answer" if i == 0 else None)
    axis.set_xticks([i + width * (len(evals) - 1) / 2 for i in range(len(kinds))], [KIND_TITLES[k] for k in kinds])
    axis.set_ylim(0, 1)
    axis.set_ylabel("accuracy (95% bootstrap CI)")
    axis.set_title("Accuracy on held-out words")
    axis.legend(fontsize=7)


def _training_panel(axis: Any, run_dir: Path | None) -> None:
    path = run_dir / "metrics.jsonl" if run_dir else None
    if path is None or not path.is_file():
        _empty(axis, "Training curves", "no training run given\n(spelltune spelling report --run RUN_DIR)")
        return
    rows = [row for _, row in read_jsonl_objects(path)]
    labels = {"loss": "training loss (its own data)", "eval_loss": "loss on validation letter questions (zero-shot)"}
    for key, label in labels.items():
        points = [(r["step"], r[key]) for r in rows if key in r and "step" in r]
        if points:
            axis.plot(*zip(*points), marker="." if key == "eval_loss" else None, label=label)
    axis.set_xlabel("step")
    axis.set_ylabel("loss")
    axis.set_title(f"Training curves ({run_dir.name})")
    axis.legend(fontsize=7)


def _sweep_panel(axis: Any, sweep_dir: Path | None) -> None:
    path = sweep_dir / "sweep.json" if sweep_dir else None
    if path is None or not path.is_file():
        _empty(axis, "Sweep", "no sweep given\n(spelltune spelling report --sweep SWEEP_DIR)")
        return
    rows = json.loads(path.read_text(encoding="utf-8"))
    metric = next((m for m in SWEEP_METRICS if any(r.get(m) is not None for r in rows)), None)
    if metric is None:
        _empty(axis, "Sweep", "the sweep has no finished runs")
        return
    measured = sorted((r for r in rows if r.get(metric) is not None), key=lambda r: -r[metric])
    colours = ["#C44E52" if r["run"].startswith("control") else "#4C72B0" for r in measured]
    axis.barh(range(len(measured)), [r[metric] for r in measured], color=colours)
    axis.set_yticks(range(len(measured)), [r["run"] for r in measured], fontsize=7)
    axis.invert_yaxis()
    for y, row in enumerate(measured):
        axis.text(row[metric], y, f" {row[metric]:.3g}", va="center", fontsize=7)
    axis.set_xlabel(metric)
    axis.set_title(f"Sweep: {metric} (validation)")


def _error_panel(axis: Any, evals: list[dict[str, Any]]) -> None:
    bars = []
    for evaluation in evals:
        for kind, counts in evaluation["summary"]["error_kinds"].items():
            bars.append((f"{evaluation['label']}\n{KIND_TITLES.get(kind, kind)}", counts))
    kinds = sorted({k for _, counts in bars for k in counts if k != "correct"})
    left = [0.0] * len(bars)
    for error_kind in kinds:
        shares = [counts.get(error_kind, 0) / max(sum(counts.values()), 1) for _, counts in bars]
        axis.barh(range(len(bars)), shares, left=left, label=error_kind)
        left = [a + b for a, b in zip(left, shares)]
    axis.set_yticks(range(len(bars)), [label for label, _ in bars], fontsize=7)
    axis.set_xlim(0, 1)
    axis.set_xlabel("share of questions")
    axis.set_title("Errors by kind")
    axis.legend(fontsize=6, loc="lower right")


def _length_panel(axis: Any, evals: list[dict[str, Any]]) -> None:
    for evaluation in evals:
        for kind, by_bin in evaluation["summary"]["by_length"].items():
            labels = sorted(by_bin, key=lambda lab: int(lab.split("-")[0]))
            axis.plot(labels, [by_bin[b]["value"] for b in labels], marker="o",
                      linestyle="-" if kind == "count" else "--", label=f"{evaluation['label']} {KIND_TITLES[kind]}")
    axis.set_ylim(0, 1)
    axis.set_xlabel("word length")
    axis.set_ylabel("accuracy")
    axis.set_title("Accuracy by word length")
    axis.legend(fontsize=6)


def _spelling_panel(axis: Any, evals: list[dict[str, Any]]) -> None:
    probes = [(e["label"], e["summary"]["spelling"]) for e in evals if "spelling" in e["summary"]]
    if not probes:
        _empty(axis, "Spelling probe", "no spelling probe in these evaluations")
        return
    metrics = ("exact", "character_accuracy", "normalized_levenshtein")
    width = 0.8 / len(probes)
    for index, (label, probe) in enumerate(probes):
        axis.bar([i + index * width for i in range(len(metrics))], [probe[m]["value"] for m in metrics], width,
                 label=label)
    axis.set_xticks([i + width * (len(probes) - 1) / 2 for i in range(len(metrics))],
                    ["exact", "char. accuracy", "norm. Levenshtein"], fontsize=8)
    axis.set_ylim(0, 1)
    axis.set_title("Spelling probe (spell the test words)")
    axis.legend(fontsize=7)


def plot_dashboard(evals: list[dict[str, Any]], out_path: Path, run_dir: Path | None = None,
                   sweep_dir: Path | None = None) -> Path:
    """One PNG with six panels; `evals` are {"label", "summary"} dicts, the first being the baseline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 3, figsize=(17, 9.5))
    _accuracy_panel(axes[0][0], evals)
    _training_panel(axes[0][1], run_dir)
    _sweep_panel(axes[0][2], sweep_dir)
    _error_panel(axes[1][0], evals)
    _length_panel(axes[1][1], evals)
    _spelling_panel(axes[1][2], evals)
    figure.suptitle("spelltune spelling study: does spelling data teach letter counts and positions?")
    figure.tight_layout()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out_path, dpi=110)
    plt.close(figure)
    return out_path
