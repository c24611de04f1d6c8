"""Choose and load an engine for a model spec: `torch`, `ctranslate2`, and the backends exports add."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spelltune.engine.base import Engine, EngineInfo
from spelltune.errors import EngineError


@dataclass(frozen=True)
class Backend:
    """How to check for and load one engine backend."""

    name: str
    description: str
    requires: str
    module: str  # the Python package it needs
    load: Callable[..., Engine]  # (spec, device, dtype, compute_type, trust_remote_code) -> Engine

    def available(self) -> bool:
        """Whether its package is importable here."""
        return importlib.util.find_spec(self.module) is not None


def _load_torch(spec: str, device: str | None, dtype: str, compute_type: str, trust_remote_code: bool) -> Engine:
    from spelltune.engine.torch_engine import TorchEngine
    from spelltune.models.loading import load_model

    loaded = load_model(spec, device=device, dtype=dtype, trust_remote_code=trust_remote_code)
    return TorchEngine(loaded.model, loaded.tokenizer, spec=spec, name=loaded.name)


def _load_ctranslate2(spec: str, device: str | None, dtype: str, compute_type: str,
                      trust_remote_code: bool) -> Engine:
    import ctranslate2

    from spelltune.engine.ctranslate2_engine import CTranslate2Engine, converted_model_dir, is_ctranslate2_dir
    from spelltune.models.loading import load_tokenizer

    # CTranslate2 finds CUDA itself: torch (and its memory) is not needed on this path.
    ct2_device, _, _ = (device or ("cuda" if ctranslate2.get_cuda_device_count() else "cpu")).partition(":")
    if ct2_device not in ("cpu", "cuda"):
        raise EngineError(f"the ctranslate2 engine runs on cpu or cuda, not {device}; use --engine torch")
    exported = is_ctranslate2_dir(Path(spec).expanduser())
    model_dir = Path(spec).expanduser() if exported else converted_model_dir(spec, trust_remote_code)
    tokenizer = load_tokenizer(str(model_dir))
    if compute_type == "default" and dtype not in ("auto", "float32"):
        compute_type = dtype
    return CTranslate2Engine(model_dir, tokenizer, spec=spec, name=display_name(spec), device=ct2_device,
                             compute_type=compute_type)


def _load_onnx(spec: str, device: str | None, dtype: str, compute_type: str, trust_remote_code: bool) -> Engine:
    # An exported graph runs no Python shipped with the model: trust_remote_code changes nothing here.
    from spelltune.engine.onnx_engine import OnnxEngine, is_onnx_dir
    from spelltune.models.loading import load_tokenizer

    directory = Path(spec).expanduser()
    if not is_onnx_dir(directory):
        raise EngineError(f"the onnx engine runs folders written by `spelltune export --to onnx`; {spec} is not one "
                          f"(export it first: spelltune export {spec} --to onnx --out DIR)")
    if device and not device.startswith("cpu"):
        raise EngineError(f"the onnx engine runs on the cpu here, not {device}")
    return OnnxEngine(directory, load_tokenizer(str(directory)), spec=spec, name=display_name(spec))


def display_name(spec: str) -> str:
    """The short name tables and logs show for a spec."""
    from spelltune.models.presets import PRESETS

    return PRESETS[spec].name if spec in PRESETS else Path(spec).name or spec


BACKENDS: dict[str, Backend] = {
    backend.name: backend
    for backend in [
        Backend("torch", "transformers in PyTorch: the reference; CPU, CUDA, MPS; bf16 on capable GPUs",
                "pip install torch (a core dependency)", "torch", _load_torch),
        Backend("ctranslate2", "CTranslate2's C++ runtime: converted once per model and cached; CPU and CUDA; "
                "int8 with --set engine.compute_type=int8", "pip install ctranslate2 (a core dependency)",
                "ctranslate2", _load_ctranslate2),
        Backend("onnx", "onnxruntime on a folder from `spelltune export --to onnx` (KV cache; CPU)",
                "pip install 'spelltune[onnx]'", "onnxruntime", _load_onnx),
    ]
}

# Tried in this order by `auto`: the first whose package is installed and that can run the model.
AUTO_ORDER = ("ctranslate2", "torch")


def register_backend(backend: Backend) -> None:
    """Add a backend (exported runtimes register theirs); `auto` does not try it unless it is in AUTO_ORDER."""
    BACKENDS[backend.name] = backend


def engine_infos() -> list[EngineInfo]:
    """Every backend with what it needs and whether it is usable here, for `spelltune engines`."""
    return [EngineInfo(b.name, b.description, b.requires, b.available()) for b in BACKENDS.values()]


def engine_for_artefact(spec: str) -> str | None:
    """The engine a directory or file must run on when it is an exported artefact (not a HF model)."""
    from spelltune.engine.ctranslate2_engine import is_ctranslate2_dir
    from spelltune.engine.onnx_engine import is_onnx_dir

    path = Path(spec).expanduser()
    if is_ctranslate2_dir(path):
        return "ctranslate2"
    if is_onnx_dir(path):
        return "onnx"
    return None


def load_engine(spec: str, engine: str = "auto", device: str | None = None, dtype: str = "auto",
                compute_type: str = "default", notice: Callable[[str], None] | None = None, *,
                trust_remote_code: bool = False) -> Engine:
    """Load `spec` on the named engine; `auto` picks the fastest installed one that runs it.

    An exported artefact (a CTranslate2 or ONNX directory) runs on its own engine whatever `auto` would
    pick. When `auto` falls back from a faster engine, `notice` gets one line saying why. A model that
    ships its own Python code loads only with `trust_remote_code`.
    """
    notice = notice or _stderr_notice
    artefact_engine = engine_for_artefact(spec)
    if artefact_engine:
        if engine not in ("auto", artefact_engine):
            raise EngineError(f"{spec} is a {artefact_engine} model; run it with --engine {artefact_engine}")
        engine = artefact_engine
    if engine != "auto":
        backend = BACKENDS.get(engine)
        if backend is None:
            raise EngineError(f"unknown engine '{engine}': use auto or one of {', '.join(BACKENDS)} "
                              "(see `spelltune engines`)")
        if not backend.available():
            raise EngineError(f"engine '{engine}' needs a package that is not installed: {backend.requires}")
        return _load_backend(backend, spec, device, dtype, compute_type, trust_remote_code)
    for name in AUTO_ORDER:
        backend = BACKENDS[name]
        if not backend.available():
            if name != "torch":
                notice(f"engine {name} is not installed ({backend.requires}); using torch")
            continue
        if name == "torch":
            return _load_backend(backend, spec, device, dtype, compute_type, trust_remote_code)
        if not _auto_can_use(name, spec, device):
            continue
        try:
            return _load_backend(backend, spec, device, dtype, compute_type, trust_remote_code)
        except EngineError as error:
            notice(f"{error}; using torch instead")
    return _load_backend(BACKENDS["torch"], spec, device, dtype, compute_type, trust_remote_code)


def _load_backend(backend: Backend, spec: str, device: str | None, dtype: str, compute_type: str,
                  trust_remote_code: bool) -> Engine:
    """`backend.load`, with any failure of a reader on damaged files turned into one EngineError line."""
    import os

    from spelltune.errors import SpelltuneError

    try:
        return backend.load(spec, device, dtype, compute_type, trust_remote_code)
    except SpelltuneError:
        raise
    except Exception as error:  # noqa: BLE001 - converters and runtimes raise their own types on bad files
        if os.environ.get("SPELLTUNE_DEBUG"):
            raise
        first = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
        raise EngineError(f"cannot load '{spec}' on the {backend.name} engine: {type(error).__name__}: {first}") from None


def _auto_can_use(name: str, spec: str, device: str | None) -> bool:
    # CTranslate2 runs on CPU and CUDA only; Apple GPUs and explicit other devices stay on torch.
    if name == "ctranslate2" and device and not device.startswith(("cpu", "cuda")):
        return False
    return True


def _stderr_notice(message: str) -> None:
    print(f"notice: {message}", file=sys.stderr)
