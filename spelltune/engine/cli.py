"""CLI wrapper for `spelltune engines`."""

from __future__ import annotations

import typer


def engines_command() -> None:
    """List the inference engines: what each is, what it needs, and whether it is installed here."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from spelltune.engine import engine_infos
    from spelltune.engine.registry import AUTO_ORDER

    table = Table(title="spelltune engines (--engine NAME; auto tries " + ", then ".join(AUTO_ORDER) + ")")
    for column in ("name", "status", "what it is", "needs"):
        table.add_column(column, no_wrap=column in ("name", "status"), overflow="fold")
    for info in engine_infos():
        table.add_row(info.name, "installed" if info.available else "not installed", escape(info.description), escape(info.requires))
    console = Console()
    if not console.is_terminal:
        console.width = 160
    console.print(table)


def register(app: typer.Typer) -> None:
    """Mount `spelltune engines` on the main CLI."""
    app.command("engines")(engines_command)
