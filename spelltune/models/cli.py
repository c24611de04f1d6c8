"""CLI wrappers for `spelltune models` and `spelltune merge`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def models_command() -> None:
    """List the named model presets: parameters, download size, license, and where they come from."""
    from rich.console import Console
    from rich.table import Table

    from spelltune.errors import ModelSpecError
    from spelltune.models.loading import resolve_model_spec
    from spelltune.models.presets import PRESETS, default_model_spec

    table = Table(title="spelltune model presets")
    for column in ("name", "parameters", "size", "license", "source", "status"):
        table.add_column(column, no_wrap=column == "name", overflow="fold")
    for preset in PRESETS.values():
        if preset.gguf_package or preset.packaged_adapter:
            try:
                resolve_model_spec(preset.name)
                status = "installed"
            except ModelSpecError:
                status = f"run: {preset.install_hint}" if preset.install_hint else "not shipped yet"
        else:
            status = "downloads on first use"
        name = preset.name + (" (default)" if preset.name == default_model_spec() else "")
        table.add_row(name, preset.parameters, preset.download_size, preset.license, preset.source, status)
    console = Console()
    if not console.is_terminal:
        console.width = 160  # piped output: don't squeeze the table into 80 columns
    console.print(table)


def merge_command(
    spec: Annotated[str, typer.Argument(help="Model spec: a run or adapter folder (merged into its base), GGUF, model dir.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the merged model (config, safetensors, tokenizer, card).")],
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Write SPEC as one plain Hugging Face model folder, a LoRA adapter merged into its base, with a model card."""
    from spelltune.models.merge import write_merged_model

    written = write_merged_model(spec, out, force=force)
    typer.echo(f"wrote {written}")


def register(app: typer.Typer) -> None:
    """Mount `spelltune models` and `spelltune merge` on the main CLI."""
    app.command("models")(models_command)
    app.command("merge")(merge_command)
