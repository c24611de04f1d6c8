"""`run_sweep`: every point of a sweep as an ordinary run, then one table and one plot.

A sweep's points come from a grid (every combination of `key=v1,v2` axes) or from a points file (named
override lists, for designs that are not a full product: one change at a time around a reference,
full fine-tuning beside LoRA, a run on control data). Each run is a normal run directory
(`SWEEP_DIR/<name>/`), so `spelltune fix --model`, `spelltune eval --model RUN_DIR ...` and
`spelltune compare SWEEP_DIR/*/eval` work on it. A finished run (one with train_summary.json) is
skipped, so an interrupted sweep re-runs only what is missing. On one process each run is its own
`spelltune train` process, so its peak memory and time are its own (not the sweep's so far); under a
distributed launcher every rank trains the runs in turn in-process.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spelltune.errors import ConfigError, SpelltuneError
from spelltune.train.config import TrainConfig, load_train_config
from spelltune.train.run_dir import read_summary

# Summary numbers every sweep table shows after its metric (when the runs have them).
TABLE_COLUMNS = ("eval_letter_accuracy", "eval_letter_count", "eval_letter_position", "eval_exact_match",
                 "eval_exact_match_guarded", "eval_loss", "final_train_loss", "kept_step", "global_step",
                 "train_minutes", "seconds_per_step", "peak_memory_mb")


@dataclass(frozen=True)
class SweepPoint:
    """One run of a sweep: its folder name and the `key=value` overrides that make it."""

    name: str
    overrides: tuple[str, ...]


@dataclass
class SweepResult:
    """The sweep's rows (settings + summary numbers), its Markdown table and the files written."""

    rows: list[dict[str, Any]]
    table: str
    table_path: Path
    plot_path: Path


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


def grid_points(grid: dict[str, list[str]]) -> list[SweepPoint]:
    """Every combination of the grid's values, named by `run_name`."""
    combos = [dict(zip(grid, values)) for values in itertools.product(*grid.values())]
    return [SweepPoint(run_name(c), tuple(f"{k}={v}" for k, v in c.items())) for c in combos]


def read_points(path: Path) -> list[SweepPoint]:
    """Named points from a YAML mapping `name: [key=value, ...]` (an empty list is the base config itself)."""
    import yaml

    if not path.is_file():
        raise ConfigError(f"{path}: no such points file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML ({error})") from None
    if not isinstance(data, dict) or not data:
        raise ConfigError(f"{path}: expected a mapping of run names to lists of key=value overrides")
    points = []
    for name, overrides in data.items():
        overrides = overrides or []
        if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
            raise ConfigError(f"{path}: {name!r} is not a usable run folder name")
        if not isinstance(overrides, list) or not all(isinstance(o, str) and "=" in o for o in overrides):
            raise ConfigError(f"{path}: {name}: expected a list of key=value strings")
        points.append(SweepPoint(name, tuple(overrides)))
    return points


def setting(config: TrainConfig, key: str) -> Any:
    """The value of a dotted config key (`lora.r`) as the run used it."""
    value: Any = config
    for part in key.split("."):
        value = getattr(value, part)
    return value


def run_sweep(config_path: Path, points: list[SweepPoint], sweep_dir: Path, overrides: list[str],
              metric: str = "eval_exact_match") -> SweepResult:
    """Train each point (validating every config first, so a typo fails before hours of training), then tabulate."""
    from spelltune.train.run import train_model

    if len({p.name for p in points}) != len(points):
        raise ConfigError("two sweep points share a name")
    configs = [load_train_config(config_path, [*overrides, *point.overrides]) for point in points]
    sweep_dir.mkdir(parents=True, exist_ok=True)
    for number, (point, config) in enumerate(zip(points, configs), start=1):
        run_dir = sweep_dir / point.name
        if read_summary(run_dir) is not None:
            print(f"[{number}/{len(points)}] {point.name}: finished before, skipped", flush=True)
            continue
        print(f"[{number}/{len(points)}] {point.name}: {' '.join(point.overrides) or 'the base config'}", flush=True)
        resume = (run_dir / "checkpoints").is_dir()
        if int(os.environ.get("WORLD_SIZE", "1")) > 1:
            train_model(config, run_dir, resume=resume)
        else:
            train_in_own_process(config_path, run_dir, [*overrides, *point.overrides], resume)
    return summarize_sweep(sweep_dir, points, configs, metric)


def train_in_own_process(config_path: Path, run_dir: Path, overrides: list[str], resume: bool) -> None:
    """`spelltune train` for one run in a child process (same interpreter); a failed run stops the sweep."""
    command = [sys.executable, "-m", "spelltune", "train", str(config_path), "--out", str(run_dir),
               *itertools.chain.from_iterable(("--set", item) for item in overrides), *(["--resume"] if resume else [])]
    finished = subprocess.run(command, check=False)
    if finished.returncode != 0:
        raise SpelltuneError(f"sweep run {run_dir.name} failed (exit {finished.returncode}); its output is above. "
                          f"Fix it and run the sweep again: finished runs are skipped")


def summarize_sweep(sweep_dir: Path, points: list[SweepPoint], configs: list[TrainConfig], metric: str) -> SweepResult:
    """sweep.md, sweep.json and a plot (a heatmap for a two-key grid, else bars) from the runs' summaries."""
    from spelltune.train.plots import plot_sweep_bars, plot_sweep_heatmap

    keys = list(dict.fromkeys(o.partition("=")[0] for p in points for o in p.overrides))
    rows = []
    for point, config in zip(points, configs):
        summary = read_summary(sweep_dir / point.name) or {}
        params = {key: _plain(setting(config, key)) for key in keys}
        rows.append({"run": point.name, "overrides": list(point.overrides), "params": params,
                     **{k: summary.get(k) for k in {*TABLE_COLUMNS, metric}}})
    columns = [c for c in dict.fromkeys([metric, *TABLE_COLUMNS]) if any(r.get(c) is not None for r in rows)]
    lines = ["| run | " + " | ".join([*keys, *columns]) + " |", "|---|" + "---|" * (len(keys) + len(columns))]
    for row in rows:
        cells = [row["run"], *(str(row["params"][k]) for k in keys), *(_cell(row.get(c)) for c in columns)]
        lines.append("| " + " | ".join(cells) + " |")
    table = "\n".join(lines)
    # Grid points are named after their settings; a two-key grid reads best as a heatmap.
    is_grid = len(keys) <= 2 and all(p.name == run_name(dict(o.partition("=")[::2] for o in p.overrides))
                                     for p in points)
    if is_grid:
        plot = plot_sweep_heatmap(rows, keys[0], keys[1] if len(keys) > 1 else "", metric, sweep_dir / "heatmap.png")
    else:
        plot = plot_sweep_bars(rows, metric, sweep_dir / "sweep.png")
    table_path = sweep_dir / "sweep.md"
    table_path.write_text(f"# Sweep\n\n{table}\n\n`{metric}`: {plot.name}\n", encoding="utf-8")
    (sweep_dir / "sweep.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return SweepResult(rows=rows, table=table, table_path=table_path, plot_path=plot)


def _plain(value: Any) -> Any:
    return ",".join(map(str, value)) if isinstance(value, list) else value


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "—" if value is None else str(value)
