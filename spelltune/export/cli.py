"""`spelltune export`: a thin wrapper over `export_model`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def export_command(
    spec: Annotated[str, typer.Argument(help="model spec: default, a run or adapter dir, a model dir, a .gguf, a hub id")],
    to: Annotated[str, typer.Option("--to", "-t", help="format: gguf, onnx, ctranslate2, executorch, coreml")],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder to write (refused if it exists, unless --force)")],
    quant: Annotated[str | None, typer.Option("--quant", "-q", help="gguf: f16, q8_0; onnx, ctranslate2: float32, int8")] = None,
    force: Annotated[bool, typer.Option("--force", help="replace --out if it exists")] = False,
    check: Annotated[bool, typer.Option("--check/--no-check", help="run the parity check against the PyTorch model")] = True,
    parity_limit: Annotated[int | None, typer.Option("--parity-limit", help="check parity on N sentences only (faster)")] = None,
    benchmark: Annotated[Path | None, typer.Option("--parity-benchmark", help="corrupt/correct folder whose first 50 sentences join the parity set (default: ../shared BEA-322 when present)")] = None,
) -> None:
    """Export a model to another runtime, with a model card, checksums and a parity report."""
    from spelltune.cli_support import quiet_libraries
    from spelltune.errors import ExportError
    from spelltune.export.formats import FORMATS
    from spelltune.export.run import export_model

    quiet_libraries()
    if parity_limit is not None and parity_limit < 1:
        raise ExportError(f"--parity-limit must be at least 1, got {parity_limit}")
    if benchmark is not None and not (benchmark / "corrupt.txt").is_file():
        raise ExportError(f"--parity-benchmark {benchmark} holds no corrupt.txt")

    def status(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    result = export_model(spec, to, out, quant=quant, force=force, check=check, parity_limit=parity_limit,
                          benchmark=benchmark, on_status=status)
    typer.echo(f"wrote {len(result.files)} files to {result.out_dir} in {result.seconds:.0f} s")
    if FORMATS[to].engine:
        typer.echo(f"run it: spelltune fix --model {result.run_spec} \"Ther cat sat on teh mat.\"")


def formats_command() -> None:
    """List the export formats, what each needs, and whether it is installed here."""
    from spelltune.export.formats import FORMATS

    for export_format in FORMATS.values():
        missing = export_format.missing_packages()
        state = "installed" if not missing else f"needs {export_format.install_hint()}"
        quants = ", ".join(export_format.quants) or "-"
        typer.echo(f"{export_format.name:12} [{state}] quant: {quants}\n    {export_format.description}")


def register(app: typer.Typer) -> None:
    """Mount `spelltune export` and `spelltune export-formats` on the main CLI."""
    app.command("export")(export_command)
    app.command("export-formats")(formats_command)
