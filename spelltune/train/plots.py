"""PNG plots of a run (loss curves) and of a sweep (a heatmap of a metric over two swept keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_training_curves(log_history: list[dict[str, Any]], path: Path) -> Path:
    """Train and validation loss by step, with validation exact match on a second axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train = [(e["step"], e["loss"]) for e in log_history if "loss" in e and "step" in e]
    valid = [(e["step"], e["eval_loss"]) for e in log_history if "eval_loss" in e]
    exact = [(e["step"], e["eval_exact_match"]) for e in log_history if "eval_exact_match" in e]
    figure, axis = plt.subplots(figsize=(7, 4))
    if train:
        axis.plot(*zip(*train), label="train loss", color="tab:blue")
    if valid:
        axis.plot(*zip(*valid), "o-", label="validation loss", color="tab:orange")
    axis.set_xlabel("optimizer step")
    axis.set_ylabel("loss per corrected-text token")
    handles, labels = axis.get_legend_handles_labels()
    if exact:
        second = axis.twinx()
        second.plot(*zip(*exact), "s--", label="validation exact match", color="tab:green")
        second.set_ylabel("sentence exact match")
        second.set_ylim(0, 1)
        more_handles, more_labels = second.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    if handles:
        axis.legend(handles, labels, loc="upper right")
    axis.set_title("spelltune train")
    axis.grid(alpha=0.3)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_sweep_heatmap(rows: list[dict[str, Any]], x_key: str, y_key: str, metric: str, path: Path) -> Path:
    """A heatmap of `metric` over the values of two swept keys (one row of cells if y_key is empty).

    With more than two swept keys, each cell shows the best value over the others.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    x_values = sorted({str(r["params"].get(x_key)) for r in rows}, key=_sort_key)
    y_values = sorted({str(r["params"].get(y_key)) for r in rows}, key=_sort_key) if y_key else [""]
    grid = np.full((len(y_values), len(x_values)), np.nan)
    for row in rows:
        value = row.get(metric)
        if value is None:
            continue
        x = x_values.index(str(row["params"].get(x_key)))
        y = y_values.index(str(row["params"].get(y_key))) if y_key else 0
        grid[y, x] = value if np.isnan(grid[y, x]) else max(grid[y, x], value)  # best over other swept keys
    figure, axis = plt.subplots(figsize=(1.6 + 1.2 * len(x_values), 1.4 + 0.8 * len(y_values)))
    image = axis.imshow(grid, cmap="viridis", aspect="auto")
    axis.set_xticks(range(len(x_values)), x_values)
    axis.set_yticks(range(len(y_values)), y_values)
    axis.set_xlabel(x_key)
    axis.set_ylabel(y_key)
    for (y, x), value in np.ndenumerate(grid):
        if not np.isnan(value):
            axis.text(x, y, f"{value:.3g}", ha="center", va="center", color="white")
    figure.colorbar(image, ax=axis, label=metric)
    axis.set_title(f"sweep: {metric}")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _sort_key(value: str) -> tuple[int, float | str]:
    try:
        return (0, float(value))
    except ValueError:
        return (1, value)


def plot_sweep_bars(rows: list[dict[str, Any]], metric: str, path: Path) -> Path:
    """One bar per run of `metric` (runs without it are left out), best first."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    measured = sorted((r for r in rows if r.get(metric) is not None), key=lambda r: -r[metric])
    figure, axis = plt.subplots(figsize=(6.5, 1.2 + 0.35 * max(len(measured), 1)))
    names = [r["run"] for r in measured]
    values = [r[metric] for r in measured]
    axis.barh(range(len(values)), values, color="#4C72B0")
    axis.set_yticks(range(len(names)), names)
    axis.invert_yaxis()
    for y, value in enumerate(values):
        axis.text(value, y, f" {value:.3g}", va="center")
    axis.set_xlabel(metric)
    axis.set_title(f"sweep: {metric}" if measured else f"sweep: no run has {metric} yet")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
