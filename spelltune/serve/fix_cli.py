"""CLI wrapper for `spelltune fix`."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer

from spelltune.cli_support import quiet_libraries
from spelltune.models.presets import DEFAULT_MODEL_SPEC


def fix_command(
    text: Annotated[Optional[list[str]], typer.Argument(help="Text to correct; omit to read --file or stdin.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read lines from this file ('-' for stdin).")] = None,
    model: Annotated[str, typer.Option(help="Model spec: a preset, run directory, model directory, .gguf file or hub id; or a classic corrector.")] = DEFAULT_MODEL_SPEC,
    diff: Annotated[bool, typer.Option("--diff", help="Show each change inline instead of the corrected text.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="One JSON object per line: input, output, edits with spans, refused proposals.")] = False,
    engine: Annotated[Optional[str], typer.Option(help="Inference engine: auto, torch, ctranslate2, ... (see `spelltune engines`).")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Corrector settings YAML (see configs/correct/default.yaml).")] = None,
    overrides: Annotated[Optional[list[str]], typer.Option("--set", help="Override one corrector setting: key=value, e.g. guard.min_edit_similarity=0.6.")] = None,
    batch_size: Annotated[Optional[int], typer.Option(min=1, help="Pieces generated together; larger is faster per line (default 16).")] = None,
    device: Annotated[Optional[str], typer.Option(help="cpu, cuda, cuda:1, mps; default: the best available.")] = None,
    dtype: Annotated[Optional[str], typer.Option(help="auto (bf16 on capable GPUs, else fp32), float32, bfloat16, float16.")] = None,
    color: Annotated[Optional[bool], typer.Option("--color/--no-color", help="Color the diff (default: on a terminal).")] = None,
    rescore: Annotated[Optional[bool], typer.Option("--rescore/--no-rescore", help="Let the model choose dictionary spellings for misspellings its first pass left (default on).")] = None,
    trust_remote_code: Annotated[bool, typer.Option("--trust-remote-code", help="Let a model run Python code shipped with it (off: only safetensors weights and built-in architectures load).")] = False,
    dictionary: Annotated[Optional[Path], typer.Option("--dictionary", help="Personal dictionary: words never flagged, one a line (default: the one `spelltune serve` keeps, if any).")] = None,
) -> None:
    """Correct typos and spelling: one output line per input line, in order; nothing is dropped."""
    from spelltune.correct.config import load_corrector_config
    from spelltune.correct.load import load_corrector
    from spelltune.serve.fix import default_color, fix_stream, open_input
    from spelltune.serve.personal import DictionaryFilteredCorrector, personal_dictionary_for_fix

    if diff and json_output:
        from spelltune.errors import InputError

        raise InputError("choose one of --diff and --json")
    settings = load_corrector_config(config, overrides or [])
    if trust_remote_code:
        settings = replace(settings, engine=replace(settings.engine, trust_remote_code=True))
    personal = personal_dictionary_for_fix(dictionary)
    lines = open_input(list(text or []), file, sys.stdin.buffer)
    fmt = "json" if json_output else "diff" if diff else "text"
    use_color = default_color() if color is None else color
    progress = _Progress()

    def get_corrector():
        quiet_libraries()
        progress.status(f"loading model {model}…")
        corrector = load_corrector(model, settings, batch_size=batch_size, device=device, dtype=dtype, rescore=rescore,
                                   engine=engine)
        progress.status("")
        return DictionaryFilteredCorrector(corrector, personal) if personal else corrector

    def write(line: str) -> None:
        sys.stdout.buffer.write(line.encode("utf-8", errors="surrogateescape"))

    summary = fix_stream(lines, write, get_corrector, fmt=fmt, color=use_color, on_progress=progress.advance,
                         flush=sys.stdout.buffer.flush)
    progress.close()
    for number in summary.not_utf8_lines[:5]:
        print(f"warning: line {number} is not valid UTF-8; passed through unchanged", file=sys.stderr)
    if summary.not_utf8_count > 5:
        print(f"warning: {summary.not_utf8_count} lines were not valid UTF-8", file=sys.stderr)


class _Progress:
    """A progress bar and status line on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.bar = None

    def status(self, message: str) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K" + message)
            sys.stderr.flush()

    def advance(self, count: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(unit="piece", desc="correcting", file=sys.stderr, leave=False)
        self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def register(app: typer.Typer) -> None:
    """Mount `spelltune fix` on the main CLI."""
    app.command("fix")(fix_command)
