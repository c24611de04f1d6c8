"""`spelltune eval` and `spelltune compare`: thin wrappers over `run_eval` and `compare_reports`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def eval_command(
    model: Annotated[str, typer.Option("--model", "-m", help="identity, symspell, pyspellchecker, or a model spec")],
    suite: Annotated[
        str, typer.Option("--suite", "-s", help="own, own-dev, own-test, a corrupt/correct folder, or a JSONL file; append :dev or :test for a half")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for report.json and report.md")],
    limit: Annotated[int | None, typer.Option("--limit", "-n", help="evaluate only the first N cases")] = None,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", help="sentences per corrector call (default: the config's, 16)")
    ] = None,
    device: Annotated[str | None, typer.Option("--device", help="cpu, cuda, mps (LM specs)")] = None,
    dtype: Annotated[
        str | None, typer.Option("--dtype", help="auto, float32, bfloat16, float16 (LM specs; default: the config's)")
    ] = None,
    rescore: Annotated[
        bool | None,
        typer.Option("--rescore/--no-rescore", help="the model's second pass over dictionary candidates (LM specs; default: the config's)"),
    ] = None,
    engine: Annotated[str | None, typer.Option("--engine", help="auto, torch, ctranslate2, ... (LM specs; see `spelltune engines`)")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="corrector settings YAML (configs/correct/default.yaml)")] = None,
    overrides: Annotated[list[str] | None, typer.Option("--set", help="override a corrector setting: key=value")] = None,
) -> None:
    """Evaluate a corrector on a suite: strict exact match, word scores, CER, chrF, BLEU, speed."""
    from spelltune.cli_support import quiet_libraries
    from spelltune.correct.config import load_corrector_config
    from spelltune.evaluate.report import format_value
    from spelltune.evaluate.run import run_eval

    quiet_libraries()
    settings = load_corrector_config(config, overrides or [])
    report = run_eval(model, suite, out, limit=limit, batch_size=batch_size, device=device, dtype=dtype, rescore=rescore,
                      engine=engine, config=settings)
    overall = report.overall
    typer.echo(
        f"{report.model} on {report.suite} ({overall['sentences']} sentences): "
        f"exact {format_value(overall['exact_match'], 'pct')}%, "
        f"word F0.5 {format_value(overall['word_f0_5'], 'pct')}%, "
        f"broken {overall['words_broken']} ({format_value(overall['words_broken_rate'], 'pct')}%), "
        f"{report.timing['sentences_per_second']:.2f} sentences/s"
    )
    typer.echo(f"wrote {Path(out) / 'report.json'} and {Path(out) / 'report.md'}")


def compare_command(
    report_dirs: Annotated[list[Path], typer.Argument(help="folders written by `spelltune eval --out`")],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for compare.md, compare.json and plots")] = Path(
        "compare"
    ),
) -> None:
    """Compare eval reports: one table per suite, plots, and failures by error type."""
    from spelltune.evaluate.compare import compare_reports

    comparison = compare_reports(report_dirs, out)
    typer.echo(comparison.markdown)
    typer.echo(f"wrote {comparison.markdown_path}, {comparison.json_path} and {len(comparison.plots)} plots in {out}")


def register(app: typer.Typer) -> None:
    """Add `eval` and `compare` to the top-level `spelltune` command."""
    app.command("eval")(eval_command)
    app.command("compare")(compare_command)
