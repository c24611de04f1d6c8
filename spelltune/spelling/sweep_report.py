"""The study's sweep, read back: every run's settings, cost and validation metric with 95% intervals, the
effect of each change against the reference run (the hyperparameter-importance plot), the validation
curves, and which run the validation metric selects.

Validation accuracies come from the trainer's logs (share right of `letter_questions_per_type`
questions per kind); their intervals are percentile bootstraps of those right/wrong outcomes, and
differences between two runs resample each run's outcomes independently (different checkpoints
answered the same questions, but the logs keep no per-question outcomes to pair).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from spelltune.errors import InputError
from spelltune.jsonl import read_jsonl_objects
from spelltune.spelling.metrics import BOOTSTRAP_SAMPLES, Interval, bootstrap_ci, paired_differences

REFERENCE_RUN = "reference"
CONTROL_RUN = "control"  # and every run named control-...: trained without the spelling data's facts


def is_control(name: str) -> bool:
    """Whether a sweep run is a control run (never selected, drawn apart)."""
    return name == CONTROL_RUN or name.startswith(CONTROL_RUN + "-")
METRICS = {"letter count": "eval_letter_count", "letter position": "eval_letter_position",
           "mean": "eval_letter_accuracy"}


@dataclass
class SweepRun:
    """One run of the sweep as the report needs it."""

    name: str
    overrides: list[str]
    config: dict[str, Any]
    summary: dict[str, Any]
    curve: list[tuple[int, float]] = field(default_factory=list)  # (step, validation letter accuracy)

    @property
    def per_type(self) -> int:
        """Validation questions per kind the run was measured on."""
        return int(self.config.get("eval", {}).get("letter_questions_per_type") or 0)

    def outcomes(self, metric: str) -> list[float]:
        """Right (1) / wrong (0) outcomes that reproduce the logged accuracy of `metric` at the kept step."""
        value = self.summary.get(metric)
        if value is None or not self.per_type:
            return []
        n = self.per_type * (2 if metric == "eval_letter_accuracy" else 1)
        right = round(value * n)
        return [1.0] * right + [0.0] * (n - right)

    def interval(self, metric: str) -> Interval | None:
        """The validation `metric` with its 95% bootstrap interval (None when the run has no such number)."""
        outcomes = self.outcomes(metric)
        return bootstrap_ci(outcomes) if outcomes else None


def read_sweep_runs(sweep_dir: Path) -> list[SweepRun]:
    """The runs listed in SWEEP/sweep.json, with their config as used and validation curve."""
    import yaml

    table = sweep_dir / "sweep.json"
    if not table.is_file():
        raise InputError(f"{sweep_dir} has no sweep.json: run `spelltune sweep ... --out {sweep_dir}` first")
    runs = []
    for row in json.loads(table.read_text(encoding="utf-8")):
        run_dir = sweep_dir / row["run"]
        summary_path = run_dir / "train_summary.json"
        if not summary_path.is_file():
            continue  # not finished: left out of the analysis, still listed in sweep.md
        config_path = run_dir / "config.yaml"
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
        metrics_path = run_dir / "metrics.jsonl"
        curve = [(int(e["step"]), float(e["eval_letter_accuracy"])) for _, e in read_jsonl_objects(metrics_path)
                 if "eval_letter_accuracy" in e] if metrics_path.is_file() else []
        runs.append(SweepRun(row["run"], list(row.get("overrides") or []), config,
                             json.loads(summary_path.read_text(encoding="utf-8")), curve))
    return runs


def difference_interval(first: list[float], second: list[float], seed: int = 0) -> Interval:
    """mean(second) - mean(first) with a percentile bootstrap that resamples each side on its own."""
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    rng = np.random.default_rng(seed)
    means_a = a[rng.integers(0, a.size, size=(BOOTSTRAP_SAMPLES, a.size))].mean(axis=1)
    means_b = b[rng.integers(0, b.size, size=(BOOTSTRAP_SAMPLES, b.size))].mean(axis=1)
    low, high = np.quantile(means_b - means_a, [0.025, 0.975])
    point = float(b.mean() - a.mean())
    return Interval(point, min(float(low), point), max(float(high), point), int(min(a.size, b.size)))


def selected_run(runs: list[SweepRun], metric: str = "eval_letter_accuracy") -> SweepRun | None:
    """The spelling run (never a control) with the best validation `metric`; the first listed wins a tie."""
    candidates = [r for r in runs if not is_control(r.name) and r.summary.get(metric) is not None]
    return max(candidates, key=lambda r: r.summary[metric]) if candidates else None


BOOKKEEPING = ("eval.every_steps", "save_every_steps")  # how often a run validates: not a change of what it learns


def parent_run(run: SweepRun, runs: list[SweepRun]) -> SweepRun | None:
    """The run `run` changes one thing of: the one whose overrides are the longest proper prefix of its own
    (the reference, overrides [], for a stage-1 point; `lr-1e-4` for `long-lr-1e-4` and `seed1-lr-1e-4`)."""
    parents = [other for other in runs if other is not run and len(other.overrides) < len(run.overrides)
               and run.overrides[: len(other.overrides)] == other.overrides]
    return max(parents, key=lambda other: len(other.overrides), default=None)


def _changed(run: SweepRun, parent: SweepRun) -> str:
    keys = [o.partition("=")[0] for o in run.overrides[len(parent.overrides):]]
    return ", ".join(key for key in keys if key not in BOOKKEEPING) or ", ".join(keys) or "nothing"


def effects(runs: list[SweepRun], reference: str = REFERENCE_RUN, metric: str = "eval_letter_accuracy",
            ) -> list[dict[str, Any]]:
    """Each other run's validation `metric` minus that of the run it changes one thing of (its parent: the
    reference for stage 1, the shorter or first-seed run for stage 2), with an interval, and what it changed."""
    if not any(r.name == reference and r.outcomes(metric) for r in runs):
        return []
    rows = []
    for run in runs:
        parent = parent_run(run, runs)
        if run.name == reference or parent is None or not run.outcomes(metric) or not parent.outcomes(metric):
            continue
        rows.append({"run": run.name, "against": parent.name, "changed": _changed(run, parent),
                     "overrides": run.overrides,
                     "effect": difference_interval(parent.outcomes(metric), run.outcomes(metric)).to_dict()})
    return rows


def factor_importance(effect_rows: list[dict[str, Any]]) -> dict[str, float]:
    """Per changed setting (or group of settings), the largest |effect| any of its runs had."""
    importance: dict[str, float] = {}
    for row in effect_rows:
        importance[row["changed"]] = max(importance.get(row["changed"], 0.0), abs(row["effect"]["value"]))
    return dict(sorted(importance.items(), key=lambda item: -item[1]))


def _ci(interval: Interval | dict[str, Any] | None, signed: bool = False) -> str:
    if interval is None:
        return "—"
    data = interval.to_dict() if isinstance(interval, Interval) else interval
    form = "{:+.1%}" if signed else "{:.1%}"
    return f"{form.format(data['value'])} [{form.format(data['low'])}, {form.format(data['high'])}]"


def _setting(config: dict[str, Any], dotted: str) -> Any:
    value: Any = config
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def run_table(runs: list[SweepRun], base: SweepRun | None = None) -> str:
    """Markdown: one row per run (the base model first when given): settings, cost, validation with intervals."""
    header = ("| run | method | r / alpha | modules | lr | data | steps (kept) | train min | s/step | peak MB | "
              "val. letter count | val. letter position | val. mean | Δ mean vs base |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    rows = ([base] if base else []) + runs
    for run in rows:
        config = run.config
        is_base = run is base
        modules = _setting(config, "lora.target_modules") or []
        module_text = "attention" if set(modules) == {"q_proj", "k_proj", "v_proj", "o_proj"} else (
            "all linear" if modules else "—")
        data_path = str(_setting(config, "data.path") or "")
        delta = "—"
        if base is not None and not is_base and run.outcomes("eval_letter_accuracy"):
            delta = _ci(difference_interval(base.outcomes("eval_letter_accuracy"),
                                            run.outcomes("eval_letter_accuracy")), signed=True)
        cells = [
            f"**{run.name}**" if not is_base else run.name,
            "—" if is_base else str(config.get("method", "")),
            "—" if is_base or config.get("method") == "full" else f"{_setting(config, 'lora.r')} / {_setting(config, 'lora.alpha')}",
            "—" if is_base or config.get("method") == "full" else module_text,
            "—" if is_base else f"{config.get('lr', 0):g}",
            "—" if is_base else ("control" if "control" in data_path else "spelling"),
            "—" if is_base else f"{run.summary.get('global_step')} ({run.summary.get('kept_step')})",
            "—" if is_base else f"{run.summary.get('train_minutes', 0):.1f}",
            "—" if is_base or run.summary.get("seconds_per_step") is None else f"{run.summary['seconds_per_step']:.2f}",
            "—" if is_base or run.summary.get("peak_memory_mb") is None else f"{run.summary['peak_memory_mb']:.0f}",
            _ci(run.interval("eval_letter_count")), _ci(run.interval("eval_letter_position")),
            _ci(run.interval("eval_letter_accuracy")), delta,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def base_as_run(eval_summary: dict[str, Any], per_type: int) -> SweepRun:
    """The untrained model's validation evaluation, shaped as a sweep row (its accuracies at `per_type`)."""
    accuracy = eval_summary["accuracy"]
    summary = {"eval_letter_count": accuracy["count"]["value"], "eval_letter_position": accuracy["position"]["value"]}
    summary["eval_letter_accuracy"] = (summary["eval_letter_count"] + summary["eval_letter_position"]) / 2
    return SweepRun("base (no training)", [], {"eval": {"letter_questions_per_type": per_type}}, summary)


def plot_importance(effect_rows: list[dict[str, Any]], path: Path) -> Path:
    """Each run's effect on validation mean letter accuracy against the reference run, with 95% intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted(effect_rows, key=lambda r: -abs(r["effect"]["value"]))
    figure, axis = plt.subplots(figsize=(7.5, 1.4 + 0.42 * max(len(rows), 1)))
    values = [r["effect"]["value"] for r in rows]
    errors = [[r["effect"]["value"] - r["effect"]["low"] for r in rows],
              [r["effect"]["high"] - r["effect"]["value"] for r in rows]]
    colours = ["#C44E52" if is_control(r["run"]) else "#8C8C8C" if r["changed"] == "seed" else "#4C72B0"
               for r in rows]
    axis.barh(range(len(rows)), values, xerr=errors, color=colours, capsize=3)
    axis.set_yticks(range(len(rows)), [f"{r['run']}\n({r['changed']})" for r in rows], fontsize=7)
    axis.invert_yaxis()
    axis.axvline(0, color="black", linewidth=0.8)
    axis.set_xlabel("validation mean letter accuracy minus the run it changes (95% bootstrap interval)")
    axis.set_title("What each change did\n(one change at a time; red: control data, grey: another seed)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_curves(runs: list[SweepRun], path: Path, base_value: float | None = None) -> Path:
    """Validation mean letter accuracy over training steps, one line per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7.5, 4.2))
    for run in runs:
        if run.curve:
            steps, values = zip(*run.curve)
            axis.plot(steps, values, marker="o", linestyle="--" if is_control(run.name) else "-", label=run.name)
    if base_value is not None:
        axis.axhline(base_value, color="black", linestyle=":", label="base (no training)")
    axis.set_xlabel("optimizer step")
    axis.set_ylabel("validation mean letter accuracy")
    axis.set_title("Validation curves")
    axis.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def render_sweep_section(sweep_dir: Path, out_dir: Path, evals: list[dict[str, Any]],
                         base_validation: dict[str, Any] | None = None,
                         control_labels: list[str] | None = None) -> str:
    """The report's sweep section: the run table, the importance and curve plots (written to OUT), the run the
    validation metric selects, LoRA against full fine-tuning, and what the test split says of it.

    `evals` are the report's test evaluations (the first the base); `control_labels` name the controls'.
    """
    runs = read_sweep_runs(sweep_dir)
    if not runs:
        return "## The sweep\n\nNo finished run yet.\n"
    per_type = max(r.per_type for r in runs)
    base = base_as_run(base_validation, per_type) if base_validation else None
    effect_rows = effects(runs)
    importance_plot = plot_importance(effect_rows, out_dir / "importance.png") if effect_rows else None
    curves_plot = plot_curves(runs, out_dir / "validation_curves.png",
                              base.summary["eval_letter_accuracy"] if base else None)
    chosen = selected_run(runs)
    lines = ["## The sweep", "",
             f"{len(runs)} runs. Stage 1 changes one thing of `{REFERENCE_RUN}` at a time; stage 2 trains the best "
             "setting longer (`long-…`) and the top two again with another seed (`seed1-…`) (`control`: the same training "
             "on sentence continuations with no spelling; `control-mismatched`: the spelling rows with each prompt "
             "given another word's answer, the format without the facts). Validation: letter-count and letter-position questions "
             f"on validation words ({per_type} per kind), asked with the test's few-shot prompt; each run keeps its "
             "best validation checkpoint (steps: total, and kept). 95% bootstrap intervals.", "",
             run_table(runs, base), ""]
    total_minutes = sum(r.summary.get("train_minutes") or 0 for r in runs)
    lines += [f"Training time of the whole sweep: {total_minutes:.0f} minutes (validation included).", ""]
    if effect_rows:
        importance = factor_importance(effect_rows)
        lines += ["**What each change did** (validation mean minus that of the run it changes: the reference "
                  "for one change, the same setting for a longer run or a second seed):", "",
                  "| change | run | against | effect [95% CI] |", "|---|---|---|---|"]
        lines += [f"| {r['changed']} | {r['run']} | {r.get('against', REFERENCE_RUN)} | {_ci(r['effect'], signed=True)} |"
                  for r in sorted(effect_rows, key=lambda r: -abs(r["effect"]["value"]))]
        lines += ["", "Importance (largest |effect| per setting): "
                  + ", ".join(f"{name} {value:.1%}" for name, value in importance.items()) + ".", "",
                  f"![importance]({importance_plot.name})", ""]
    lines += [f"![validation curves]({curves_plot.name})", ""]
    full = [r for r in runs if r.config.get("method") == "full"]
    lora = next((r for r in runs if r.name == REFERENCE_RUN), None)
    if full and lora:
        lines += ["**LoRA against full fine-tuning** (same steps and batch):", "",
                  "| run | trainable | s/step | peak MB | train min | val. mean |", "|---|---|---|---|---|---|"]
        for run in (lora, *full):
            trainable = "adapter" if run.config.get("method") != "full" else "all weights"
            lines.append(f"| {run.name} | {trainable} | {run.summary.get('seconds_per_step') or 0:.2f} | "
                         f"{run.summary.get('peak_memory_mb') or 0:.0f} | {run.summary.get('train_minutes') or 0:.1f} | "
                         f"{_ci(run.interval('eval_letter_accuracy'))} |")
        lines.append("")
    if chosen is not None:
        tested = (" The test split was scored once, for it, the base and the controls; it chose nothing."
                  if control_labels else " (Validation only: no test evaluation is part of this report.)")
        lines += [f"**Selected on validation:** `{chosen.name}` (validation mean "
                  f"{_ci(chosen.interval('eval_letter_accuracy'))}).{tested}", ""]
    for control_label in control_labels or []:
        lines += _against_control(evals, control_label, set(control_labels))
    return "\n".join(lines)


NO_ANSWER_KINDS = frozenset({"no-number", "no-letter"})


def no_answer_share(evaluation: dict[str, Any]) -> float:
    """The share of an evaluation's letter-count and letter-position answers that hold no number or letter at all
    (the answer format is gone)."""
    predictions = [p for p in evaluation["predictions"] if p.get("kind") in ("count", "position")]
    return sum(p.get("error_kind") in NO_ANSWER_KINDS for p in predictions) / max(len(predictions), 1)


def _against_control(evals: list[dict[str, Any]], control_label: str, control_labels: set[str]) -> list[str]:
    control = next((e for e in evals if e["label"] == control_label), None)
    others = [e for e in evals[1:] if e["label"] not in control_labels]
    if control is None or not others:
        return []
    lines = [f"**Spelling data against `{control_label}`** (test, paired: each eval minus the control):", "",
             "| eval | letter count | letter position |", "|---|---|---|"]
    for evaluation in others:
        cells = []
        for kind in ("count", "position"):
            difference = paired_differences(control, evaluation, kind)
            cells.append(_ci(difference, signed=True) if difference else "—")
        lines.append(f"| {evaluation['label']} | " + " | ".join(cells) + " |")
    share = no_answer_share(control)
    if share > 0.5:
        lines += ["", f"`{control_label}` gives no number or letter at all in {share:.0%} of its answers: this difference "
                  "measures an answer format the control lost, not letter knowledge it lacks."]
    lines.append("")
    return lines

