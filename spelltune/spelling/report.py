"""The markdown report: base vs fine-tuned accuracy with bootstrap CIs, paired differences, errors, lengths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from spelltune.errors import InputError
from spelltune.jsonl import read_jsonl_objects
from spelltune.spelling.metrics import paired_differences
from spelltune.spelling.plots import KIND_TITLES, plot_dashboard


def read_evaluation(eval_dir: Path) -> dict[str, Any]:
    """An eval folder's summary and predictions, labelled with the folder name."""
    summary_path, predictions_path = eval_dir / "summary.json", eval_dir / "predictions.jsonl"
    if not summary_path.is_file() or not predictions_path.is_file():
        raise InputError(f"{eval_dir} is not an eval folder: run `spelltune spelling eval --out {eval_dir}` first")
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        predictions = [row for _, row in read_jsonl_objects(predictions_path)]
    except ValueError as error:
        raise InputError(f"{eval_dir}: unreadable eval files ({error})") from None
    return {"label": eval_dir.name, "summary": summary, "predictions": predictions}


def _ci(interval: dict[str, Any], percent: bool = True) -> str:
    if percent:
        return f"{interval['value']:.1%} [{interval['low']:.1%}, {interval['high']:.1%}]"
    return f"{interval['value']:.3f} [{interval['low']:.3f}, {interval['high']:.3f}]"


def _signed(interval: dict[str, Any]) -> str:
    return f"{interval['value']:+.1%} [{interval['low']:+.1%}, {interval['high']:+.1%}]"


def render_report(evals: list[dict[str, Any]], dashboard_name: str) -> str:
    """The report text; the first evaluation is the baseline the others are compared with."""
    kinds = [k for k in KIND_TITLES if k in evals[0]["summary"]["accuracy"]]
    lines = ["# Spelling study: letter counts and positions on words never seen spelled", "",
             "Accuracy with 95% percentile bootstrap intervals (2,000 resamples, seed 0). "
             "Differences are paired: the same questions resampled for both models.", "",
             "| eval | model | prompt | " + " | ".join(f"{KIND_TITLES[k]} (n)" for k in kinds)
             + " | spelling char. acc. | norm. Levenshtein | answer perplexity |",
             "|---|---|---|" + "---|" * len(kinds) + "---|---|---|"]
    for evaluation in evals:
        summary = evaluation["summary"]
        cells = [f"{_ci(summary['accuracy'][k])} ({summary['accuracy'][k]['n']})" for k in kinds]
        spelling = summary.get("spelling")
        spell_cells = ([_ci(spelling["character_accuracy"]), _ci(spelling["normalized_levenshtein"], percent=False)]
                       if spelling else ["—", "—"])
        lines.append(f"| {evaluation['label']} | `{summary['model']}` | {summary['settings']['method']} | "
                     + " | ".join(cells) + " | " + " | ".join(spell_cells)
                     + f" | {summary.get('answer_perplexity', float('nan')):.2f} |")
    majority = evals[0]["summary"].get("majority_baseline", {})
    lines += ["", "Always giving the commonest answer would score: "
              + "; ".join(f"{KIND_TITLES[k]} {majority[k]['accuracy']:.1%} (\"{majority[k]['answer']}\")"
                          for k in kinds if k in majority) + "."]
    if len(evals) > 1:
        lines += ["", f"## Difference from `{evals[0]['label']}`", "",
                  "| eval | " + " | ".join(KIND_TITLES[k] for k in kinds) + " |", "|---|" + "---|" * len(kinds)]
        for evaluation in evals[1:]:
            cells = []
            for kind in kinds:
                difference = paired_differences(evals[0], evaluation, kind)
                cells.append(_signed(difference) + f" (n={difference['n']})" if difference else "no shared questions")
            lines.append(f"| {evaluation['label']} | " + " | ".join(cells) + " |")
        lines += ["", "An interval that includes 0 is no evidence of transfer at this sample size."]
    lines += ["", "## Accuracy by word length", ""]
    for kind in kinds:
        bins = sorted(evals[0]["summary"]["by_length"].get(kind, {}), key=lambda lab: int(lab.split("-")[0]))
        lines += [f"**{KIND_TITLES[kind]}**", "", "| eval | " + " | ".join(bins) + " |", "|---|" + "---|" * len(bins)]
        for evaluation in evals:
            by_bin = evaluation["summary"]["by_length"].get(kind, {})
            lines.append(f"| {evaluation['label']} | "
                         + " | ".join(f"{by_bin[b]['value']:.0%} (n={by_bin[b]['n']})" if b in by_bin else "—"
                                      for b in bins) + " |")
        lines.append("")
    lines += ["## Errors by kind", ""]
    for kind in kinds:
        error_kinds = sorted({e for ev in evals for e in ev["summary"]["error_kinds"].get(kind, {})})
        lines += [f"**{KIND_TITLES[kind]}**", "", "| eval | " + " | ".join(error_kinds) + " |",
                  "|---|" + "---|" * len(error_kinds)]
        for evaluation in evals:
            counts = evaluation["summary"]["error_kinds"].get(kind, {})
            lines.append(f"| {evaluation['label']} | " + " | ".join(str(counts.get(e, 0)) for e in error_kinds) + " |")
        lines.append("")
    lines += [f"![dashboard]({dashboard_name})", ""]
    return "\n".join(lines)


def write_report(eval_dirs: list[Path], out_dir: Path, run_dir: Path | None = None,
                 sweep_dir: Path | None = None, base_validation_dir: Path | None = None,
                 control_eval_dirs: list[Path] | None = None) -> tuple[Path, Path]:
    """OUT/report.md and OUT/dashboard.png comparing the evaluations (the first is the baseline).

    With `sweep_dir`, the report adds the sweep's section (table, importance and validation-curve plots);
    `base_validation_dir` is the untrained model's evaluation on the validation split (the sweep table's
    first row) and `control_eval_dirs` the control runs' test evaluations (each one of `eval_dirs`).
    """
    if not eval_dirs:
        raise InputError("give at least one eval folder")
    evals = [read_evaluation(Path(d)) for d in eval_dirs]
    control_labels = [Path(d).name for d in control_eval_dirs or []]
    for control_eval_dir, label in zip(control_eval_dirs or [], control_labels):
        if label not in {e["label"] for e in evals}:
            raise InputError(f"--control {control_eval_dir} must also be one of the eval folders")
    out_dir.mkdir(parents=True, exist_ok=True)
    dashboard = plot_dashboard(evals, out_dir / "dashboard.png", run_dir=run_dir, sweep_dir=sweep_dir)
    text = render_report(evals, dashboard.name)
    if sweep_dir is not None:
        from spelltune.spelling.sweep_report import render_sweep_section

        base_validation = read_evaluation(Path(base_validation_dir))["summary"] if base_validation_dir else None
        text += "\n" + render_sweep_section(Path(sweep_dir), out_dir, evals, base_validation,
                                            control_labels)
    report = out_dir / "report.md"
    report.write_text(text, encoding="utf-8")
    return report, dashboard
