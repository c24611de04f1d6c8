"""The export formats `spelltune export --to NAME` knows: what writes each one and what it needs.

A writer is a function `write(model_dir, out_dir, quant) -> list[Path]`: it reads one merged Hugging
Face model directory (config.json, safetensors weights, tokenizer) and writes the artefact's files into
`out_dir` (a temporary folder the exporter renames when everything succeeded). Writers live in their
own modules and are imported only when their format is asked for, so a missing optional package costs
nothing until then and is named in one `error:` line with the extra that installs it.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from spelltune.errors import ExportError

Writer = Callable[[Path, Path, "str | None"], list[Path]]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its writer, the packages it needs, its quantizations and how parity runs it."""

    name: str
    description: str
    module: str  # where the writer lives (imported lazily)
    function: str  # the writer's name in that module
    extra: str | None  # `pip install spelltune[EXTRA]` installs what it needs (None: core dependencies)
    requires: tuple[str, ...] = ()  # importable packages the writer needs
    # Accepted --quant values, the first being the default; empty: the writer checks them itself.
    quants: tuple[str, ...] = ()
    # Quantizations that must give the PyTorch model's answers exactly; the others report their loss.
    lossless: tuple[str, ...] = ()
    # Largest |Δlogit| a lossless quantization may show against the PyTorch model on the prompt.
    logit_tolerance: dict[str, float] = field(default_factory=dict)
    # The engine that runs the artefact here for the parity check (None: nothing here can run it).
    engine: str | None = None
    # The artefact is run from the one file with this suffix in the folder (GGUF) rather than the folder.
    run_file_suffix: str | None = None
    # Paragraphs the model card adds under "Notes" (what runs where, what was verified).
    card_notes: tuple[str, ...] = ()

    def default_quant(self) -> str | None:
        """The quantization used when --quant is not given."""
        return self.quants[0] if self.quants else None

    def install_hint(self) -> str:
        """What a user types to install this format's packages."""
        if self.extra:
            return f"pip install 'spelltune[{self.extra}]'"
        return "pip install spelltune"

    def missing_packages(self) -> list[str]:
        """The packages this format needs that are not importable here."""
        return [name for name in self.requires if importlib.util.find_spec(name) is None]


FORMATS: dict[str, ExportFormat] = {}


def register_format(export_format: ExportFormat) -> None:
    """Add (or replace) a format; plug-in writers call this to appear in `spelltune export --to`."""
    FORMATS[export_format.name] = export_format


for _format in [
    ExportFormat(
        "gguf", "one .gguf file (f16 or Q8_0) with tokenizer and chat template, plus an Ollama Modelfile; "
        "runs in llama.cpp, Ollama, LM Studio and `spelltune fix --model x.gguf`",
        "spelltune.export.gguf_format", "write_gguf", extra=None, requires=("gguf",), quants=("f16", "q8_0"),
        lossless=("f16",), logit_tolerance={"f16": 0.1}, engine="torch", run_file_suffix=".gguf",
    ),
    ExportFormat(
        "onnx", "an ONNX graph (torch.onnx dynamo exporter) run by onnxruntime; dynamic batch and sequence",
        "spelltune.export.onnx_format", "write_onnx", extra="onnx", requires=("onnx", "onnxruntime", "onnxscript"),
        quants=("float32", "int8"), lossless=("float32",), logit_tolerance={"float32": 1e-3}, engine="onnx",
    ),
    ExportFormat(
        "ctranslate2", "a CTranslate2 model directory (float32 or int8 weights) for its C++ runtime",
        "spelltune.export.ctranslate2_format", "write_ctranslate2", extra=None, requires=("ctranslate2",),
        quants=("float32", "int8"), lossless=("float32",), logit_tolerance={"float32": 1e-3}, engine="ctranslate2",
    ),
    ExportFormat(
        "executorch", "an ExecuTorch XNNPACK .pte program with its tokenizer, for Android and iOS apps",
        "spelltune.export.executorch_format", "write_executorch", extra="executorch", requires=("executorch",),
        card_notes=("Run the .pte with the ExecuTorch runtime (Android, iOS, desktop) and the tokenizer beside it; "
                    "render the prompt above and stop at `<|im_end|>`.",),
    ),
    ExportFormat(
        "coreml", "a Core ML .mlpackage for Apple devices (converted here; predicting needs macOS)",
        "spelltune.export.coreml_format", "write_coreml", extra="coreml", requires=("coremltools",),
        card_notes=("Core ML models are converted on any OS but predict only on macOS/iOS: on Linux only the "
                    "program's inputs, outputs and operations can be checked.",),
    ),
]:
    register_format(_format)


def get_format(name: str) -> ExportFormat:
    """The format called `name`, or an ExportError listing the known ones."""
    if name not in FORMATS:
        raise ExportError(f"unknown export format '{name}': use one of {', '.join(FORMATS)}")
    return FORMATS[name]


def check_quant(export_format: ExportFormat, quant: str | None) -> str | None:
    """The quantization to use (the format's default when None); an ExportError for one it does not have."""
    if quant is None:
        return export_format.default_quant()
    if export_format.quants and quant not in export_format.quants:
        raise ExportError(f"--to {export_format.name} has no quantization '{quant}': "
                          f"use one of {', '.join(export_format.quants)}")
    return quant


def load_writer(export_format: ExportFormat) -> Writer:
    """Import the format's writer; a missing package or module is an ExportError naming the extra to install."""
    missing = export_format.missing_packages()
    if missing:
        raise ExportError(f"--to {export_format.name} needs {', '.join(missing)}, which "
                          f"{'is' if len(missing) == 1 else 'are'} not installed: {export_format.install_hint()}")
    try:
        module = importlib.import_module(export_format.module)
    except ImportError as error:
        raise ExportError(f"--to {export_format.name} is not available here ({error}): "
                          f"{export_format.install_hint()}") from None
    writer = getattr(module, export_format.function, None)
    if not callable(writer):
        raise ExportError(f"--to {export_format.name}: {export_format.module} has no {export_format.function}()")
    return writer
