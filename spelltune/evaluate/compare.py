"""`spelltune compare`: several eval reports side by side — tables, plots and an error analysis."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from spelltune.atomic import write_json, write_text
from spelltune.errors import InputError
from spelltune.evaluate.error_analysis import ERROR_TYPES, OVER_CORRECTION, analyse_errors
from spelltune.evaluate.report import REPORT_JSON, EvalReport, format_value, read_report


@dataclass
class Comparison:
    """What `compare_reports` wrote: the Markdown text and the files."""

    markdown: str
    markdown_path: Path
    json_path: Path
    plots: list[Path]


def find_report_dirs(paths: list[Path]) -> list[Path]:
    """Each path that holds report.json, or, for a folder without one, its subfolders that do."""
    found: list[Path] = []
    for path in map(Path, paths):
        if (path / REPORT_JSON).is_file() or path.name == REPORT_JSON:
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(child.parent for child in path.glob(f"*/{REPORT_JSON}")))
        else:
            raise InputError(f"{path} does not exist: give folders written by `spelltune eval --out DIR`")
    if not found:
        raise InputError("no report.json in the given folders: run `spelltune eval --out DIR` first")
    return found


def compare_reports(paths: list[Path], out_dir: Path) -> Comparison:
    """Read the reports under `paths`, write compare.md, compare.json and PNG plots into `out_dir`."""
    from spelltune.evaluate.plots import plot_accuracy_by_category, plot_accuracy_vs

    report_dirs = find_report_dirs(paths)
    read_reports = [read_report(path) for path in report_dirs]
    names = report_labels(read_reports, report_dirs)
    models = [report.model for report in read_reports]
    # Tables and plots name a report by its model, or by its folder where two reports of a suite share a model
    # (one corrector with different settings): each then keeps its own row, column and error analysis.
    reports = [replace(report, model=names[id(report)]) for report in read_reports]
    labels = {id(report): report.model for report in reports}
    by_suite: dict[str, list[EvalReport]] = {}
    for report in reports:
        by_suite.setdefault(report.suite, []).append(report)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the output folder {out_dir}: {error.strerror}") from None

    analyses = {(report.model, report.suite): analyse_errors(report) for report in reports}
    sections = [
        "# Comparison",
        "",
        *_per_suite(by_suite, comparison_table),
        "`exact`: strict sentence exact match (%). Per-category columns are exact match too. `word F0.5` and",
        "`broken %` are on aligned words; `size` is parameters for models, dictionary entries for classic",
        "checkers; speed is sentences per second at the report's batch size on the machine that ran it.",
        "",
        "# Error analysis: share of errors fixed, by error type",
        "",
        *_per_suite(by_suite, lambda suite_reports: "\n".join(
            [error_type_table(suite_reports, analyses), "", *_missed_examples(suite_reports, analyses)]).rstrip()),
        "# Recall and precision by error kind",
        "",
        "Recall: wrong input words of the kind set right; precision: changes to words of the kind that gave",
        "the expected word (spelltune/evaluate/error_kinds.py says what each kind is). `—`: none.",
        "",
        *_per_suite(by_suite, lambda suite_reports: error_kind_comparison(suite_reports, labels)),
    ]
    plots = [
        plot_accuracy_by_category(by_suite, out_dir / "accuracy_by_category.png"),
        plot_accuracy_vs(by_suite, out_dir / "accuracy_vs_size.png", x="size"),
        plot_accuracy_vs(by_suite, out_dir / "accuracy_vs_speed.png", x="speed"),
    ]
    markdown = "\n".join(sections) + "\n"
    markdown_path, json_path = out_dir / "compare.md", out_dir / "compare.json"
    write_text(markdown_path, markdown)
    summary = [
        {
            "model": model,
            "label": report.model,
            "suite": report.suite,
            "model_size": report.model_size,
            "overall": report.overall,
            "by_category": report.by_category,
            "timing": report.timing,
            "by_error_kind": kind_scores(report),
            "error_types": {
                name: {"total": tally.total, "fixed": tally.fixed, "missed_examples": tally.examples}
                for name, tally in analyses[(report.model, report.suite)].items()
            },
        }
        for model, report in zip(models, reports)
    ]
    write_json(json_path, summary, indent=1)
    return Comparison(markdown=markdown, markdown_path=markdown_path, json_path=json_path, plots=plots)


def _per_suite(by_suite: dict[str, list[EvalReport]], render) -> list[str]:
    """A `## suite` section per suite with what `render` makes of its reports."""
    lines: list[str] = []
    for suite, suite_reports in by_suite.items():
        lines += [f"## {suite}", "", render(suite_reports), ""]
    return lines


def report_labels(reports: list[EvalReport], report_dirs: list[Path]) -> dict[int, str]:
    """A column name per report (by `id`): its model, or its folder where two reports of a suite share one."""
    seen: dict[tuple[str, str], int] = {}
    for report in reports:
        seen[(report.model, report.suite)] = seen.get((report.model, report.suite), 0) + 1
    return {id(report): report.model if seen[(report.model, report.suite)] == 1 else Path(folder).name
            for report, folder in zip(reports, report_dirs)}


def error_kind_comparison(reports: list[EvalReport], labels: dict[int, str]) -> str:
    """Rows: error kinds with their error count; columns: each report's recall / precision."""
    scores = [kind_scores(report) for report in reports]
    header = ["kind", "errors", *[f"{labels[id(report)]} recall / precision" for report in reports]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in scores[0]:
        cells = [name, str(scores[0][name]["errors"])]
        cells += [f"{format_value(score[name]['recall'], 'pct')} / {format_value(score[name]['precision'], 'pct')}" for score in scores]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def kind_scores(report: EvalReport) -> dict[str, dict]:
    """The report's `by_error_kind`, computed from its cases for reports written before it existed."""
    from spelltune.evaluate.error_kinds import score_by_kind

    if report.by_error_kind:
        return report.by_error_kind
    triples = ((case.input, case.expected, case.output) for case in report.cases)
    return {name: score.to_json_dict() for name, score in score_by_kind(triples).items()}


def comparison_table(reports: list[EvalReport]) -> str:
    """One row per model: size, overall and per-category exact match, word scores, speed."""
    categories = list(dict.fromkeys(category for report in reports for category in report.by_category))
    if len(categories) == 1:
        categories = []
    header = ["model", "size", "exact", *categories, "word F0.5", "word corr.", "broken %", "chrF", "sent/s"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for report in reports:
        overall = report.overall
        cells = [
            report.model,
            report.model_size.get("label", "?"),
            format_value(overall["exact_match"], "pct"),
            *[format_value(report.by_category.get(c, {}).get("exact_match"), "pct") for c in categories],
            format_value(overall["word_f0_5"], "pct"),
            format_value(overall["word_correction_rate"], "pct"),
            format_value(overall["words_broken_rate"], "pct"),
            format_value(overall["chrf"], "num"),
            format_speed(report.timing["sentences_per_second"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def format_speed(sentences_per_second: float) -> str:
    """Sentences per second: one decimal below 100, whole numbers with thousands separators above."""
    return f"{sentences_per_second:.1f}" if sentences_per_second < 100 else f"{sentences_per_second:,.0f}"


def error_type_table(reports: list[EvalReport], analyses: dict) -> str:
    """Rows: error types (with their count); columns: each model's share fixed, over-corrections."""
    first = analyses[(reports[0].model, reports[0].suite)]
    present = [name for name in ERROR_TYPES if name in first]
    header = ["error type", "errors", *[report.model for report in reports]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in present:
        cells = [name, str(first[name].total)]
        for report in reports:
            tally = analyses[(report.model, report.suite)].get(name)
            cells.append(f"{100 * tally.fixed_rate:.0f}%" if tally else "—")
        lines.append("| " + " | ".join(cells) + " |")
    over = [analyses[(report.model, report.suite)].get(OVER_CORRECTION) for report in reports]
    lines.append("| " + " | ".join([OVER_CORRECTION + " (correct words changed)", "", *[
        str(tally.total if tally else 0) for tally in over]]) + " |")
    return "\n".join(lines)


def _missed_examples(reports: list[EvalReport], analyses: dict) -> list[str]:
    lines = []
    for report in reports:
        tallies = analyses[(report.model, report.suite)]
        if all(case.output == case.input for case in report.cases):
            continue  # a corrector that changed nothing missed everything; its examples say nothing
        examples = [
            f"  - {name}: `{example['source']}` → expected `{example['expected']}`, got `{example['output']}`"
            for name, tally in tallies.items()
            for example in tally.examples[:2]
        ]
        if examples:
            lines += [f"- {report.model} misses, e.g.:", *examples]
    return lines + [""]
