"""`spelltune data build` and `spelltune data check`: thin wrappers over build_dataset/check_dataset."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

data_app = typer.Typer(help="Build and check correction datasets.", no_args_is_help=True)


@data_app.command("build")
def build_command(
    config: Annotated[Path, typer.Argument(help="A data config YAML, e.g. configs/data/quick.yaml.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the dataset into.")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl, or hf to also save a datasets.DatasetDict.")] = "jsonl",
    overrides: Annotated[
        list[str] | None, typer.Option("--set", help="Override a config key: --set pairs=5000 (repeatable).")
    ] = None,
) -> None:
    """Build train/validation/test JSONL, card.md, stats.json and plots from CONFIG."""
    from rich.console import Console

    from spelltune.data.build import build_dataset
    from spelltune.data.config import load_data_config

    console = Console(stderr=True)
    data_config = load_data_config(config, overrides or [])
    started = time.perf_counter()
    report = build_dataset(data_config, out, fmt)
    stats = report.stats
    console.print(f"wrote {stats['pairs']:,} pairs to {out} in {time.perf_counter() - started:.1f} s")
    for split, count in stats["pairs_by_split"].items():  # type: ignore[union-attr]
        console.print(f"  {split}: {count:,}")
    console.print("  by category: " + ", ".join(f"{k} {v:,}" for k, v in stats["by_category"].items()))  # type: ignore[union-attr]


@data_app.command("check")
def check_command(
    data_dir: Annotated[Path, typer.Argument(help="A folder written by `spelltune data build`.")],
) -> None:
    """Prove zero leakage: no clean sentence in two splits, no held-out word corrected in train."""
    from spelltune.data.check import check_dataset

    report = check_dataset(data_dir)
    rows = ", ".join(f"{s} {n:,}" for s, n in report.rows_by_split.items())
    typer.echo(f"rows: {rows}")
    for pair, count in report.overlaps.items():
        typer.echo(f"shared clean sentences {pair}: {count}")
    typer.echo(f"train pairs correcting one of {report.heldout_words} held-out words: {report.heldout_leaks}")
    for example in report.overlap_examples + report.heldout_examples:
        typer.echo(f"  leak: {example}")
    if not report.ok:
        typer.echo("FAIL: the splits leak", err=True)
        raise typer.Exit(1)
    typer.echo("OK: no leakage")


# `spelltune data publish`: the hub upload lives with the other publishing code in spelltune/export.
from spelltune.export.publish_cli import data_publish_command  # noqa: E402

data_app.command("publish")(data_publish_command)


def register(app: typer.Typer) -> None:
    """Mount the `data` commands on the main `spelltune` app."""
    app.add_typer(data_app, name="data")
