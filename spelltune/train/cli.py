"""`spelltune train` and `spelltune sweep`: thin wrappers over train_model and run_sweep."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from spelltune.cli_support import quiet_libraries


def train_command(
    config: Annotated[Path, typer.Argument(help="A train config YAML, e.g. configs/train/cpu-smoke.yaml.")],
    out: Annotated[Optional[Path], typer.Option("--out", help="Run directory (default: runs/<config name>).")] = None,
    overrides: Annotated[
        Optional[list[str]], typer.Option("--set", help="Override a config key: --set lora.r=8 (repeatable).")
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue from the run directory's last checkpoint.")] = False,
    merge: Annotated[bool, typer.Option("--merge", help="Also save merged full weights (RUN_DIR/merged).")] = False,
) -> None:
    """Fine-tune a model on correction pairs; writes adapter/weights, metrics, loss curve and a model card."""
    from spelltune.train.config import load_train_config

    train_config = load_train_config(config, overrides or [])
    quiet_libraries()
    from spelltune.train.run import train_model

    run_dir = out or Path("runs") / config.stem
    result = train_model(train_config, run_dir, resume=resume, merge=merge)
    summary = result.summary
    if int(os.environ.get("RANK", "0")) == 0:
        parts = [f"steps {summary['global_step']}", f"train loss {summary.get('final_train_loss')}"]
        if "eval_exact_match" in summary:
            parts.append(f"validation exact match {summary['eval_exact_match']:.1%}")
        typer.echo(f"{result.run_dir}: " + ", ".join(parts))


def sweep_command(
    config: Annotated[Path, typer.Argument(help="The base train config YAML.")],
    more_grid: Annotated[
        Optional[list[str]], typer.Argument(help="More key=v1,v2,... axes (as in --grid a=1,2 b=3,4).", show_default=False)
    ] = None,
    grid: Annotated[
        Optional[list[str]], typer.Option("--grid", help="key=v1,v2,... ; several keys may follow one --grid.")
    ] = None,
    points: Annotated[
        Optional[Path], typer.Option("--points", help="YAML of named runs `name: [key=value, ...]` instead of a grid.")
    ] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Sweep folder (default: runs/sweep-<config name>).")] = None,
    overrides: Annotated[Optional[list[str]], typer.Option("--set", help="Override for every run (repeatable).")] = None,
    metric: Annotated[str, typer.Option(help="Summary metric for the table and plot.")] = "eval_exact_match",
    summarize_only: Annotated[bool, typer.Option("--summarize-only", help="Only tabulate the finished runs.")] = False,
) -> None:
    """Run every point of a grid or points file as an ordinary run; print a table and write a plot."""
    quiet_libraries()
    from spelltune.errors import ConfigError
    from spelltune.train.config import load_train_config
    from spelltune.train.sweep import grid_points, parse_grid, read_points, run_sweep, summarize_sweep

    axes = [*(grid or []), *(more_grid or [])]
    if points is not None and axes:
        raise ConfigError("give a grid or --points, not both")
    chosen = read_points(points) if points is not None else grid_points(parse_grid(axes))
    sweep_dir = out or Path("runs") / f"sweep-{config.stem}"
    if summarize_only:
        configs = [load_train_config(config, [*(overrides or []), *p.overrides]) for p in chosen]
        result = summarize_sweep(sweep_dir, chosen, configs, metric)
    else:
        result = run_sweep(config, chosen, sweep_dir, overrides or [], metric)
    typer.echo(result.table)
    typer.echo(f"\nwrote {result.table_path} and {result.plot_path}")


def adapt_command(
    replay: Annotated[Path, typer.Option("--replay", help="General pairs to replay: a `spelltune data build` folder.")],
    feedback: Annotated[Optional[Path], typer.Option("--feedback", help="The writer's feedback log (feedback.jsonl from `spelltune serve`).")] = None,
    writer: Annotated[Optional[str], typer.Option("--writer", help="Or: the writer's name in the server's database (see `spelltune writers list`; `local` on a one-person server).")] = None,
    database: Annotated[Optional[str], typer.Option("--database", envvar="SPELLTUNE_DATABASE_URL", help="With --writer: the server's database URL (default: the one `spelltune serve` opens).")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="The writer's current model spec (default: with --writer, the model the server corrects them with; else `default`).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder for data, run and decision.json (default: runs/adapt/<feedback name or writer>).")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Train config (default: configs/train/adapt.yaml).")] = None,
    overrides: Annotated[Optional[list[str]], typer.Option("--set", help="Override a train config key (repeatable).")] = None,
    held_out: Annotated[float, typer.Option("--held-out", help="Share of the writer's sentences kept out to judge on.")] = 0.25,
    replay_ratio: Annotated[float, typer.Option("--replay-ratio", help="General pairs replayed per writer pair.")] = 3.0,
    general_check: Annotated[int, typer.Option("--general-check", help="General validation pairs the new model must not do worse on (0: skip).")] = 32,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Train one writer's adapter on their accepted corrections; keep it only if it beats their current model."""
    from spelltune.errors import InputError
    from spelltune.train.adapt import (DEFAULT_CONFIG, AdaptSettings, adapt_writer, read_feedback_file,
                                       read_writer_feedback, record_writer_decision, writer_current_model)
    from spelltune.train.config import load_train_config

    if (feedback is None) == (writer is None):
        raise InputError("give the writer's feedback as --feedback FILE or --writer NAME (from the server's database), "
                         "one of them")
    if database is not None and writer is None:
        raise InputError("--database goes with --writer NAME")
    records = read_feedback_file(feedback) if feedback is not None else read_writer_feedback(writer, database)
    if model is None:
        model = (writer_current_model(writer, database) if writer is not None else None) or "default"
    if not replay.is_dir():
        raise InputError(f"--replay {replay}: not a folder; give one written by `spelltune data build`")
    train_config = load_train_config(config or DEFAULT_CONFIG, overrides or [])
    quiet_libraries()
    settings = AdaptSettings(held_out_share=held_out, replay_ratio=replay_ratio, general_check_pairs=general_check,
                             seed=seed)
    out_dir = out or Path("runs") / "adapt" / (feedback.stem if feedback is not None else writer)
    result = adapt_writer(records, model, replay, out_dir, config=train_config, settings=settings)
    verdict = "kept" if result.kept else "not kept"
    if writer is None:
        typer.echo(f"{verdict}: {result.reason}; use --model {result.model} ({out_dir / 'decision.json'})")
        return
    recorded = record_writer_decision(result, writer, database)
    where = (f"the server now corrects {writer}'s text with {recorded}" if recorded else
             f"{writer} keeps the model they had ({model})")
    typer.echo(f"{verdict}: {result.reason}; {where} ({out_dir / 'decision.json'})")


def register(app: typer.Typer) -> None:
    """Mount `train`, `sweep` and `adapt` on the main `spelltune` app."""
    app.command("train")(train_command)
    app.command("sweep")(sweep_command)
    app.command("adapt")(adapt_command)
