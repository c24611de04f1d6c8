"""`spelltune spelling tokens|build|control|eval|report`: thin wrappers over the stage's typed functions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from spelltune.cli_support import quiet_libraries

spelling_app = typer.Typer(
    name="spelling",
    help="The spelling-mechanics study: does spelling data teach letter counts and positions?",
    no_args_is_help=True,
)


def _say(message: str) -> None:
    typer.echo(message, err=True)


@spelling_app.command("tokens")
def tokens_command(
    out: Annotated[Path, typer.Option("--out", help="JSON file to write.")],
    tokenizer: Annotated[str, typer.Option(help="Tokenizer or model spec: preset, hub id (gpt2), local dir.")] = "smollm2-135m",
) -> None:
    """Save every multi-character letters-only token of a tokenizer (id, raw token, word, length) as JSON."""
    quiet_libraries()
    from spelltune.models.loading import load_tokenizer
    from spelltune.spelling.tokens import extract_letter_tokens, write_tokens

    found = extract_letter_tokens(load_tokenizer(tokenizer))
    write_tokens(found, tokenizer, out)
    spaced = sum(t.leading_space for t in found)
    typer.echo(f"{out}: {len(found)} letter tokens ({spaced} with a leading space, {len({t.word for t in found})} distinct words)")


@spelling_app.command("build")
def build_command(
    out: Annotated[Path, typer.Option("--out", help="Dataset folder to write.")],
    config: Annotated[Optional[Path], typer.Option("--config", help="A spelling config YAML (defaults otherwise).")] = None,
    overrides: Annotated[Optional[list[str]], typer.Option("--set", help="Override a config key: --set test_per_type=100.")] = None,
    words: Annotated[Optional[str], typer.Option(help="Word list file (one a line) for validation/test words.")] = None,
    tokenizer: Annotated[Optional[str], typer.Option(help="Tokenizer spec (overrides the config's).")] = None,
    tokens: Annotated[Optional[Path], typer.Option(help="A tokens JSON from `spelling tokens` (skips extraction).")] = None,
) -> None:
    """Write train.jsonl (spelling examples), validation.jsonl and test.jsonl (questions) and manifest.json."""
    from spelltune.spelling.config import load_spelling_config

    assignments = list(overrides or [])
    if words is not None:
        assignments.append(f"words={words}")
    if tokenizer is not None:
        assignments.append(f"tokenizer={tokenizer}")
    spelling_config = load_spelling_config(config, assignments)
    quiet_libraries()
    from spelltune.spelling.build import build_spelling_dataset
    from spelltune.spelling.tokens import read_tokens

    built = build_spelling_dataset(spelling_config, out, read_tokens(tokens) if tokens else None, progress=_say)
    manifest = built.manifest
    typer.echo(f"{out}: {manifest['train_examples']} train spelling examples, "
               f"{manifest['validation']['questions']} validation and {manifest['test']['questions']} test questions")


@spelling_app.command("control")
def control_command(
    data: Annotated[Path, typer.Option("--data", help="Spelling dataset folder from `spelling build`.")],
    out: Annotated[Path, typer.Option("--out", help="Control dataset folder to write.")],
    tokenizer: Annotated[str, typer.Option(help="Tokenizer spec the token lengths are matched in.")] = "smollm2-135m",
    seed: Annotated[int, typer.Option(help="Seed for the sentences and cut points.")] = 0,
    kind: Annotated[str, typer.Option(help="continuation (no spelling) or mismatched (each prompt gets another "
                                           "word's answer: the format without the facts).")] = "continuation",
) -> None:
    """Write a control dataset as many and as long (in tokens) as the spelling rows, without their spelling facts."""
    quiet_libraries()
    from spelltune.spelling.control import build_control_dataset

    manifest = build_control_dataset(data, out, tokenizer, seed, progress=_say, kind=kind)
    tokens = manifest["completion_tokens"]
    typer.echo(f"{out}: {manifest['train_examples']} control rows; completion tokens {tokens['control']:,} "
               f"(spelling {tokens['spelling']:,})")


@spelling_app.command("eval")
def eval_command(
    model: Annotated[str, typer.Option("--model", help="Model spec: preset, local dir, run dir, adapter dir.")],
    data: Annotated[Path, typer.Option("--data", help="Dataset folder from `spelling build`.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for summary.json and predictions.jsonl.")],
    split: Annotated[str, typer.Option(help="validation or test.")] = "test",
    per_type: Annotated[int, typer.Option(help="Questions per kind (the first N of the split).")] = 100,
    spell_words: Annotated[int, typer.Option(help="Words in the spelling probe (0: none).")] = 50,
    few_shot: Annotated[bool, typer.Option("--few-shot/--zero-shot", help="Plain few-shot chat prompt or none.")] = True,
    batch_size: Annotated[int, typer.Option(help="Prompts per generation batch.")] = 16,
    device: Annotated[str, typer.Option(help="cpu, cuda, mps or auto.")] = "cpu",
    threads: Annotated[int, typer.Option(help="torch CPU threads.")] = 1,
) -> None:
    """Ask letter-count and letter-position questions; write accuracy with 95% bootstrap CIs."""
    from spelltune.errors import InputError

    if split not in ("validation", "test"):
        raise InputError(f"--split {split!r}: use validation or test")
    if per_type < 1 or batch_size < 1 or threads < 1 or spell_words < 0:
        raise InputError("--per-type, --batch-size and --threads must be at least 1, --spell-words at least 0")
    quiet_libraries()
    from spelltune.spelling.evaluate import SpellingEvalSettings, evaluate_model, write_evaluation

    settings = SpellingEvalSettings(per_type=per_type, spell_words=spell_words, few_shot=few_shot, batch_size=batch_size,
                            device=None if device == "auto" else device, threads=threads)
    result = evaluate_model(model, data / f"{split}.jsonl", settings, progress=_say)
    write_evaluation(result, out)
    for kind, interval in result["summary"]["accuracy"].items():
        typer.echo(f"{kind:9s} accuracy {interval['value']:.1%} "
                   f"[{interval['low']:.1%}, {interval['high']:.1%}] n={interval['n']}")
    typer.echo(f"wrote {out}")


@spelling_app.command("report")
def report_command(
    evals: Annotated[list[Path], typer.Argument(help="Eval folders; the first is the baseline.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for report.md and dashboard.png.")],
    run: Annotated[Optional[Path], typer.Option(help="A training run dir (its metrics.jsonl gives the curves).")] = None,
    sweep: Annotated[Optional[Path], typer.Option(help="A sweep folder from `spelltune sweep` (sweep.json).")] = None,
    base_validation: Annotated[Optional[Path], typer.Option(
        help="The base model's eval on the validation split (first row of the sweep table).")] = None,
    control: Annotated[Optional[list[Path]], typer.Option(
        help="Which of the eval folders is a control run's (repeat for each control).")] = None,
) -> None:
    """Compare evaluations: markdown report with bootstrap CIs and a dashboard PNG (and the sweep's analysis)."""
    from spelltune.spelling.report import write_report

    report_path, dashboard_path = write_report(evals, out, run_dir=run, sweep_dir=sweep,
                                               base_validation_dir=base_validation, control_eval_dirs=control)
    typer.echo(f"wrote {report_path} and {dashboard_path}")


def register(app: typer.Typer) -> None:
    """Mount the `spelling` sub-command group on the main `spelltune` app."""
    app.add_typer(spelling_app, name="spelling")
