"""Comparison plots (matplotlib, Agg): accuracy by category, accuracy vs size, accuracy vs speed."""

from __future__ import annotations

from pathlib import Path

from spelltune.evaluate.report import EvalReport


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_accuracy_by_category(reports_by_suite: dict[str, list[EvalReport]], path: Path) -> Path:
    """Grouped bars: strict exact match per category, one bar per model, one panel per suite."""
    plt = _pyplot()
    suites = list(reports_by_suite)
    widths = [max(3.0, 1.2 * (len(reports[0].by_category) + 1)) for reports in reports_by_suite.values()]
    figure, axes = plt.subplots(1, len(suites), figsize=(sum(widths) + 1, 4.5), squeeze=False,
                                gridspec_kw={"width_ratios": widths})
    models = list(dict.fromkeys(report.model for reports in reports_by_suite.values() for report in reports))
    colors = {model: f"C{index % 10}" for index, model in enumerate(models)}
    for axis, suite in zip(axes[0], suites):
        reports = reports_by_suite[suite]
        categories = ["all"] + list(dict.fromkeys(c for report in reports for c in report.by_category))
        if len(categories) == 2:  # a single-category suite: its category is the whole suite
            categories = ["all"]
        bar_width = 0.8 / len(reports)
        for index, report in enumerate(reports):
            values = [
                100 * (report.overall if category == "all" else report.by_category.get(category, {})).get(
                    "exact_match", 0.0
                )
                for category in categories
            ]
            positions = [position + index * bar_width for position in range(len(categories))]
            axis.bar(positions, values, width=bar_width, label=report.model, color=colors[report.model])
        axis.set_xticks([position + 0.4 - bar_width / 2 for position in range(len(categories))])
        axis.set_xticklabels([category.replace("_", "\n") for category in categories], fontsize=8)
        axis.set_ylim(0, 100)
        axis.set_ylabel("sentence exact match (%)")
        axis.set_title(suite)
        axis.grid(axis="y", alpha=0.3)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colors[model]) for model in models]
    figure.legend(handles, models, loc="upper center", ncol=min(len(models), 6), fontsize=8, frameon=False)
    figure.tight_layout(rect=(0, 0, 1, 0.92))
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_accuracy_vs(reports_by_suite: dict[str, list[EvalReport]], path: Path, *, x: str) -> Path:
    """Scatter of overall exact match against `x` = "size" (parameters) or "speed" (sentences/s):
    one colour per model, one marker per suite."""
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(7, 4.5))
    markers = "osD^vP*X"
    models = list(dict.fromkeys(report.model for reports in reports_by_suite.values() for report in reports))
    colors = {model: f"C{index % 10}" for index, model in enumerate(models)}
    for suite_index, (suite, reports) in enumerate(reports_by_suite.items()):
        for report in reports:
            if x == "size":
                value = report.model_size.get("parameters") or 0
                value = max(value, 1)  # identity has no parameters: plot it at 1
            else:
                value = report.timing.get("sentences_per_second") or 0
            accuracy = 100 * report.overall["exact_match"]
            axis.scatter(value, accuracy, marker=markers[suite_index % len(markers)], s=50, color=colors[report.model])
            axis.annotate(f"{report.model} ({suite})", (value, accuracy), fontsize=7,
                          xytext=(4, 4), textcoords="offset points")
    axis.set_xscale("log")
    axis.set_xlabel(
        "size: parameters (LM) or dictionary entries (classic), log scale"
        if x == "size"
        else "speed: sentences per second, log scale"
    )
    axis.set_ylabel("sentence exact match (%)")
    axis.set_ylim(0, 100)
    axis.set_title("accuracy vs " + x)
    axis.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
