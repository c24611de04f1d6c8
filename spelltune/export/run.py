"""`spelltune export`: merge, write the artefact into a temporary folder, check parity, card, rename."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spelltune.atomic import atomic_directory
from spelltune.errors import ExportError, ParityError, SpelltuneError
from spelltune.export.card import example_prompt, model_origin, write_card, write_checksums
from spelltune.export.formats import ExportFormat, check_quant, get_format, load_writer
from spelltune.export.parity import ParityReport, check_parity, default_benchmark_dir, parity_cases


@dataclass
class ExportResult:
    """What an export wrote and measured."""

    out_dir: Path
    files: list[Path]
    run_spec: str  # what `spelltune fix --model` takes to run it
    parity: ParityReport | None
    seconds: float


def export_model(spec: str, to: str, out: Path, *, quant: str | None = None, force: bool = False,
                 check: bool = True, parity_limit: int | None = None, benchmark: Path | None = None,
                 on_status: Callable[[str], None] | None = None) -> ExportResult:
    """Export `spec` to format `to` in folder `out`; all or nothing (a temporary folder renamed at the end).

    With `check`, the parity check runs and a failed one raises ParityError after the artefact (with its
    parity.json) is in place, so it can be inspected.
    """
    status = on_status or (lambda message: None)
    started = time.perf_counter()
    export_format = get_format(to)
    quant = check_quant(export_format, quant)
    out = Path(out).expanduser()
    if out.exists() and not force:
        raise ExportError(f"{out} already exists: choose another --out or pass --force to replace it")
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder: choose another --out")
    writer = load_writer(export_format)
    status(f"merging {spec} into one model directory")
    model_dir = merged_source(spec)

    parity: ParityReport | None = None
    with atomic_directory(out) as staging:  # all or nothing: a failed export leaves `out` as it was
        status(f"writing {to}" + (f" ({quant})" if quant else "") + f" from {model_dir}")
        files = [Path(path) for path in writer(model_dir, staging, quant)]
        run_path = _run_path(export_format, staging, files)
        if check and export_format.engine:
            cases = parity_cases(benchmark if benchmark is not None else default_benchmark_dir(), parity_limit)
            parity = check_parity(str(model_dir), str(run_path), export_format.engine, format_name=to, quant=quant,
                                  lossless=quant in export_format.lossless,
                                  logit_tolerance=export_format.logit_tolerance.get(quant or ""),
                                  cases=cases, on_status=status)
            _release_engines()
            (staging / "parity.json").write_text(json.dumps(parity.to_json_dict(), indent=2) + "\n")
            status(parity.summary())
        final_run = out / run_path.relative_to(staging) if run_path != staging else out
        write_card(staging, origin=model_origin(spec), format_name=to, quant=quant, files=files,
                   prompt=example_prompt(model_dir), parity=parity, run_command=_run_command(to, final_run),
                   notes=_notes(export_format, check))
        write_checksums(staging)
    result = ExportResult(out, sorted(p for p in out.rglob("*") if p.is_file()), str(final_run), parity,
                          round(time.perf_counter() - started, 1))
    if parity is not None and not parity.passed:
        raise ParityError(f"parity check failed ({', '.join(parity.failed_checks())}): {parity.summary()}; "
                          f"the export is in {out}, details in {out / 'parity.json'}")
    return result


def merged_source(spec: str) -> Path:
    """The merged Hugging Face directory of `spec`; an adapter that cannot be merged is an ExportError."""
    from spelltune.models.merged import merged_model_dir

    try:
        return merged_model_dir(spec)
    except SpelltuneError:
        raise
    except Exception as error:  # noqa: BLE001 - PEFT raises many kinds for an adapter that does not fit
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ExportError(f"cannot merge {spec} into its base model: {first[:300]}") from None


def _run_path(export_format: ExportFormat, staging: Path, files: list[Path]) -> Path:
    if not export_format.run_file_suffix:
        return staging
    matches = [path for path in files if path.suffix == export_format.run_file_suffix]
    if len(matches) != 1:
        raise ExportError(f"the {export_format.name} writer produced {len(matches)} {export_format.run_file_suffix} files")
    return matches[0]


def _run_command(format_name: str, run_path: Path) -> str:
    command = f"spelltune fix --model {run_path} \"Ther cat sat on teh mat.\""
    if format_name == "gguf":
        return command + f"\n# Ollama:\ncd {run_path.parent} && ollama create spelltune -f Modelfile && " \
                         "ollama run spelltune \"Ther cat sat on teh mat.\""
    if format_name in ("executorch", "coreml"):
        return f"# load {run_path} from your app (see the notes below)"
    return command


def _notes(export_format: ExportFormat, check: bool) -> list[str]:
    paragraphs = list(export_format.card_notes)
    if export_format.engine is None:
        paragraphs.append(f"Nothing in spelltune runs {export_format.name} models, so `spelltune export` did not "
                          "measure parity for it.")
    if not paragraphs:
        return []
    return ["## Notes", ""] + [line for paragraph in paragraphs for line in (paragraph, "")]


def _release_engines() -> None:
    # The parity engines are cached per process; drop them so the next export does not hold two models.
    from spelltune.correct.load import forget_loaded_models

    forget_loaded_models()
