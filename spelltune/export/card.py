"""What ships beside every artefact: a model card (README.md) and SHA256SUMS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from spelltune.atomic import file_sha256
from spelltune.export.parity import ParityReport

LICENSE = "Apache-2.0"
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class ModelOrigin:
    """Where an exported model came from: the spec, its base and adapter, what it was trained on."""

    spec: str
    base: str
    adapter: str | None
    training_data: str | None


def model_origin(spec: str) -> ModelOrigin:
    """Base, adapter and training-data summary of `spec`, as far as its files tell."""
    from spelltune.models.loading import resolve_model_spec

    resolved = resolve_model_spec(spec)
    if resolved.kind != "adapter_dir":
        return ModelOrigin(spec, spec, None, None)
    adapter = Path(resolved.location)
    return ModelOrigin(spec, str(resolved.base_spec), adapter.name if spec != adapter.name else spec,
                       _training_data(adapter / "README.md"))


def _training_data(card: Path) -> str | None:
    # A spelltune run card has a "## Data" section: its bullet lines are the summary.
    if not card.is_file():
        return None
    match = re.search(r"^## Data\s*\n(.*?)(?=^## |\Z)", card.read_text(encoding="utf-8"), flags=re.M | re.S)
    if not match:
        return None
    lines = [line for line in match.group(1).strip().splitlines() if line.startswith("- ") and "](" not in line]
    return "\n".join(lines) or None


def example_prompt(model_dir: Path) -> str:
    """The exact prompt the model is run with, for a placeholder input `{text}`."""
    from spelltune.models.loading import load_tokenizer
    from spelltune.prompt import build_prompt

    return build_prompt(load_tokenizer(str(model_dir)), "{text}")


def write_card(out_dir: Path, *, origin: ModelOrigin, format_name: str, quant: str | None, files: list[Path],
               prompt: str, parity: ParityReport | None, run_command: str, notes: list[str] = ()) -> Path:
    """Write README.md (the model card) into `out_dir`."""
    sizes = "\n".join(f"| `{path.relative_to(out_dir)}` | {path.stat().st_size / 1e6:.1f} MB |"
                      for path in files if path.is_file())
    lines = [
        "---", f"license: {LICENSE.lower()}", "tags: [spelling-correction, typo-correction, spelltune, "
        f"{format_name}]", "---", "",
        f"# spelltune spelling corrector — {format_name}" + (f" ({quant})" if quant else ""), "",
        "A small language model fine-tuned to fix spelling mistakes and typos and change nothing else, "
        f"exported by `spelltune export` to {format_name}.", "",
        "## Model", "",
        f"- Exported from: `{origin.spec}`",
        f"- Base model: `{origin.base}`",
        f"- Adapter: {f'`{origin.adapter}` (LoRA, merged into the base before export)' if origin.adapter else 'none'}",
        f"- Quantization: {quant or 'none'}",
        f"- License: {LICENSE}", "",
    ]
    if origin.training_data:
        lines += ["## Training data", "", origin.training_data, ""]
    lines += ["## Prompt", "", "Greedy decoding (temperature 0); stop at `<|im_end|>` or the end-of-sequence token. "
              "The exact prompt, with the text to correct in place of `{text}`:", "", "```", prompt.rstrip("\n"),
              "```", "", "## Run it", "", "```", run_command, "```", ""]
    lines += ["## Parity with the PyTorch model", ""]
    if parity is None:
        lines += ["Not checked (exported with `--no-check`, or no engine here runs this format).", ""]
    else:
        lines += [
            f"Measured by `spelltune export` on {parity.sentences} sentences "
            f"({', '.join(f'{n} {source}' for source, n in parity.sources.items())}); "
            f"the export ran on the `{parity.engine}` engine, the reference on `torch`.", "",
            "| check | value |", "|---|---|",
            f"| max abs Δlogit (next token after the prompt) | {parity.max_abs_logit_diff:.2e} |",
            f"| corrections identical to PyTorch (whole corrector) | {parity.identical_corrections:.1%} |",
            f"| strict exact match, export | {parity.exact_match_export:.1%} |",
            f"| strict exact match, PyTorch | {parity.exact_match_reference:.1%} |",
            f"| result | {'passed' if parity.passed else 'FAILED: ' + ', '.join(parity.failed_checks())}"
            f"{'' if parity.lossless else ' (quantized: loss reported, not checked)'} |", "",
            "Details in `parity.json`.", "",
        ]
    lines += list(notes) + ([""] if notes else [])
    lines += ["## Files", "", "| file | size |", "|---|---|", sizes, "",
              f"Checksums in `{CHECKSUMS}` (`sha256sum -c {CHECKSUMS}`).", ""]
    path = out_dir / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_checksums(out_dir: Path) -> Path:
    """Write SHA256SUMS for every file under `out_dir` (in `sha256sum -c` format)."""
    rows = []
    for path in sorted(p for p in out_dir.rglob("*") if p.is_file() and p.name != CHECKSUMS):
        rows.append(f"{file_sha256(path)}  {path.relative_to(out_dir).as_posix()}")
    target = out_dir / CHECKSUMS
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target
