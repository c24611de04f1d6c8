"""`run_sweep`: every combination of a grid as an ordinary run, then one table and one heatmap.

Each run is a normal run directory (`SWEEP_DIR/<key=value_...>/`), so `spelltune fix --model`,
`spelltune eval --model RUN_DIR --suite DATA/test.jsonl --out RUN_DIR/eval` and `spelltune compare SWEEP_DIR/*/eval` work on
it. A finished run (one with train_summary.json) is skipped, so an interrupted sweep re-runs only
what is missing.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spelltune.errors import ConfigError
from spelltune.train.config import load_train_config
from spelltune.train.run_dir import read_summary

TABLE_COLUMNS = ("eval_exact_match", "eval_exact_match_guarded", "eval_loss", "final_train_loss", "seconds_per_step")


@dataclass
class SweepResult:
    """The sweep's rows (params + summary numbers), its Markdown table and the files written."""

    rows: list[dict[str, Any]]
    table: str
    table_path: Path
    heatmap_path: Path


def parse_grid(items: list[str]) -> dict[str, list[str]]:
    """`["lora.r=4,8", "lr=1e-4,2e-4"]` -> {"lora.r": ["4", "8"], "lr": ["1e-4", "2e-4"]}."""
    grid: dict[str, list[str]] = {}
    for item in items:
        key, equals, values = item.partition("=")
        choices = [v.strip() for v in values.split(",") if v.strip()]
        if not equals or not key.strip() or not choices:
            raise ConfigError(f"--grid {item!r}: expected key=value1,value2,...")
        if key.strip() in grid:
            raise ConfigError(f"--grid names {key.strip()} twice")
        grid[key.strip()] = choices
    if not grid:
        raise ConfigError("give at least one --grid key=value1,value2,...")
    return grid


def run_name(params: dict[str, str]) -> str:
    """A folder name for one combination, e.g. `lora.r=8_lr=2e-4`."""
    return "_".join(f"{k}={v}" for k, v in params.items()).replace("/", "-")


def run_sweep(config_path: Path, grid: dict[str, list[str]], sweep_dir: Path, overrides: list[str],
              metric: str = "eval_exact_match") -> SweepResult:
    """Train each grid combination (validating every config first), then tabulate and plot the results."""
    from spelltune.train.run import train_model

    combos = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    configs = [load_train_config(config_path, [*overrides, *(f"{k}={v}" for k, v in c.items())]) for c in combos]
    sweep_dir.mkdir(parents=True, exist_ok=True)
    for number, (params, config) in enumerate(zip(combos, configs), start=1):
        run_dir = sweep_dir / run_name(params)
        if read_summary(run_dir) is not None:
            print(f"[{number}/{len(combos)}] {run_dir.name}: finished before, skipped", flush=True)
            continue
        print(f"[{number}/{len(combos)}] {run_dir.name}", flush=True)
        train_model(config, run_dir, resume=(run_dir / "checkpoints").is_dir())
    return summarize_sweep(sweep_dir, combos, list(grid), metric)


def summarize_sweep(sweep_dir: Path, combos: list[dict[str, str]], keys: list[str], metric: str) -> SweepResult:
    """sweep.md, sweep.json and heatmap.png from the runs' train_summary.json files."""
    from spelltune.train.plots import plot_sweep_heatmap

    rows = []
    for params in combos:
        summary = read_summary(sweep_dir / run_name(params)) or {}
        rows.append({"run": run_name(params), "params": params, **{k: summary.get(k) for k in {*TABLE_COLUMNS, metric}}})
    columns = [*keys, *dict.fromkeys([metric, *TABLE_COLUMNS])]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [row["params"][k] for k in keys] + [_cell(row.get(c)) for c in columns[len(keys):]]
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    table_path = sweep_dir / "sweep.md"
    table_path.write_text(f"# Sweep\n\n{table}\n\nHeatmap of `{metric}`: heatmap.png\n", encoding="utf-8")
    (sweep_dir / "sweep.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    heatmap = plot_sweep_heatmap(rows, keys[0], keys[1] if len(keys) > 1 else "", metric, sweep_dir / "heatmap.png")
    return SweepResult(rows=rows, table=table, table_path=table_path, heatmap_path=heatmap)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "—" if value is None else str(value)
