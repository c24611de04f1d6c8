"""Resolve a model spec to a loaded model and tokenizer.

A spec is one of: a preset name (`smollm2-135m`), a Hugging Face hub id (`Qwen/Qwen3-0.6B`), a local
HF model directory, a local `.gguf` file, a PEFT adapter directory, or a spelltune run directory.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from spelltune.errors import ModelSpecError
from spelltune.models.cache import cache_root
from spelltune.models.cache_entries import building_entry, is_valid_entry
from spelltune.models.presets import PRESETS

SpecKind = Literal["gguf", "hub", "hf_dir", "adapter_dir", "run_dir"]

# A spelltune run directory names the folder that holds its final weights in this file.
RUN_MANIFEST = "spelltune_run.json"

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass(frozen=True)
class ResolvedSpec:
    """Where a spec's weights live, before anything is loaded."""

    spec: str
    kind: SpecKind
    location: str
    gguf_file: str | None = None
    base_spec: str | None = None


@dataclass
class LoadedModel:
    """A model ready to generate: the module, its tokenizer, and what it was loaded from."""

    model: Any
    tokenizer: Any
    spec: str
    name: str


def _preset_gguf_path(preset_name: str) -> Path:
    preset = PRESETS[preset_name]
    assert preset.gguf_package and preset.gguf_file
    module = importlib.util.find_spec(preset.gguf_package)
    if module is None or not module.submodule_search_locations:
        raise ModelSpecError(
            f"model '{preset_name}' needs the package {preset.gguf_package.replace('_', '-')}: "
            f"run `{preset.install_hint}`"
        )
    path = Path(list(module.submodule_search_locations)[0]) / preset.gguf_file
    if not path.is_file():
        raise ModelSpecError(
            f"model '{preset_name}': {path} is missing; reinstall with `{preset.install_hint}`"
        )
    return path


def resolve_model_spec(spec: str) -> ResolvedSpec:
    """Say where `spec` points without loading anything; raise ModelSpecError if it points nowhere."""
    if not spec or not spec.strip():
        raise ModelSpecError("empty model spec: give a preset name (see `spelltune models`), a path or a hub id")
    if spec in PRESETS:
        preset = PRESETS[spec]
        if preset.adapter_dir is not None:
            if not (preset.adapter_dir / "adapter_config.json").is_file():
                raise ModelSpecError(
                    f"model '{spec}' is not part of this installation (no {preset.adapter_dir}/adapter_config.json); "
                    f"use --model {preset.base}"
                )
            return ResolvedSpec(spec, "adapter_dir", str(preset.adapter_dir), base_spec=preset.base)
        if preset.gguf_package:
            path = _preset_gguf_path(spec)
            return ResolvedSpec(spec, "gguf", str(path.parent), gguf_file=path.name)
        return ResolvedSpec(spec, "hub", preset.hub_id or spec)

    path = Path(spec).expanduser()
    if path.is_file():
        if path.suffix.lower() != ".gguf":
            raise ModelSpecError(f"model file {spec} is not a .gguf file; pass a model directory instead")
        return ResolvedSpec(spec, "gguf", str(path.resolve().parent), gguf_file=path.name)
    if path.is_dir():
        return _resolve_directory(spec, path)
    if _HUB_ID.match(spec) and not spec.startswith((".", "~")):
        return ResolvedSpec(spec, "hub", spec)
    presets = ", ".join(PRESETS)
    raise ModelSpecError(
        f"unknown model '{spec}': not a preset ({presets}), an existing path, or a hub id like owner/name"
    )


def _resolve_directory(spec: str, path: Path) -> ResolvedSpec:
    if (path / RUN_MANIFEST).is_file():
        manifest = _read_json(path / RUN_MANIFEST)
        weights = manifest.get("model_dir")
        if not isinstance(weights, str):
            raise ModelSpecError(f"{path / RUN_MANIFEST} has no 'model_dir' entry; is the run finished?")
        return _resolve_directory(spec, path / weights)
    if (path / "adapter_config.json").is_file():
        base = _read_json(path / "adapter_config.json").get("base_model_name_or_path")
        if not isinstance(base, str) or not base:
            raise ModelSpecError(f"{path}/adapter_config.json names no base model")
        return ResolvedSpec(spec, "adapter_dir", str(path), base_spec=base)
    if (path / "config.json").is_file():
        return ResolvedSpec(spec, "hf_dir", str(path))
    ggufs = sorted(path.glob("*.gguf"))
    if len(ggufs) == 1:
        return ResolvedSpec(spec, "gguf", str(path.resolve()), gguf_file=ggufs[0].name)
    raise ModelSpecError(
        f"directory {spec} holds no model: expected config.json, adapter_config.json, {RUN_MANIFEST} or one .gguf file"
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelSpecError(f"cannot read {path}: {error}") from None
    if not isinstance(data, dict):
        raise ModelSpecError(f"{path} is not a JSON object")
    return data


def pick_device(device: str | None = None) -> str:
    """The device to run on: the one asked for, else CUDA, else Apple MPS, else the CPU."""
    import torch

    if device:
        return device
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def pick_dtype(dtype: str, device: str) -> Any:
    """A torch dtype from a name; `auto` is bfloat16 on GPUs that support it and float32 elsewhere."""
    import torch

    names = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}
    if dtype == "auto":
        if device.startswith("cuda") and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    if dtype not in names:
        raise ModelSpecError(f"unknown dtype '{dtype}': use auto, {', '.join(names)}")
    return names[dtype]


def load_model(spec: str, device: str | None = None, dtype: str = "auto", *,
               trust_remote_code: bool = False) -> LoadedModel:
    """Load the model and tokenizer that `spec` names, in eval mode, on `device`.

    A model that ships its own Python code is refused unless `trust_remote_code` (the user's
    `--trust-remote-code` / `engine.trust_remote_code`) lets that code run.
    """
    resolved = resolve_model_spec(spec)
    device = pick_device(device)
    torch_dtype = pick_dtype(dtype, device)
    if resolved.kind == "adapter_dir":
        assert resolved.base_spec is not None
        base = load_model(resolved.base_spec, device=device, dtype=dtype, trust_remote_code=trust_remote_code)
        model = _attach_adapter(base.model, resolved.location)
        tokenizer = _load_tokenizer(resolved.location) if _has_tokenizer(resolved.location) else base.tokenizer
        return _ready(model, tokenizer, spec, device)
    if resolved.kind == "gguf":
        directory = dequantized_gguf_dir(Path(resolved.location) / str(resolved.gguf_file))
        return _ready(*_load_pretrained(str(directory), torch_dtype, spec), spec, device)
    return _ready(*_load_pretrained(resolved.location, torch_dtype, spec, trust_remote_code), spec, device)


def _ready(model: Any, tokenizer: Any, spec: str, device: str) -> LoadedModel:
    model.to(device)
    model.eval()
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    name = PRESETS[spec].name if spec in PRESETS else Path(spec).name or spec
    return LoadedModel(model=model, tokenizer=tokenizer, spec=spec, name=name)


def load_tokenizer(spec: str) -> Any:
    """The tokenizer a spec names (preset, hub id, model/tokenizer dir, adapter or run dir), without the model.

    Also a directory holding only a saved tokenizer.
    """
    from transformers import AutoTokenizer

    directory = Path(spec).expanduser()
    if directory.is_dir() and (directory / "tokenizer_config.json").is_file() and not (directory / "config.json").is_file():
        return AutoTokenizer.from_pretrained(str(directory))  # a tokenizer saved on its own
    resolved = resolve_model_spec(spec)
    location = resolved.location
    kwargs: dict[str, Any] = {}
    if resolved.kind == "gguf":
        kwargs["gguf_file"] = resolved.gguf_file
    elif resolved.kind == "adapter_dir" and not (Path(location) / "tokenizer_config.json").is_file():
        assert resolved.base_spec is not None
        return load_tokenizer(resolved.base_spec)
    try:
        return AutoTokenizer.from_pretrained(location, **kwargs)
    except (OSError, ValueError) as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ModelSpecError(f"cannot load a tokenizer from '{spec}': {first[:300]}") from None


def _has_tokenizer(directory: str) -> bool:
    return any((Path(directory) / name).is_file() for name in ("tokenizer.json", "tokenizer_config.json"))


def _load_tokenizer(location: str, **kwargs: Any) -> Any:
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(location, **kwargs)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:300]


def _load_pretrained(location: str, torch_dtype: Any, spec: str, trust_remote_code: bool = False) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM

    try:
        tokenizer = _load_tokenizer(location, trust_remote_code=trust_remote_code)
        # Weights from safetensors only: a pickled checkpoint can run code when it is loaded.
        model = AutoModelForCausalLM.from_pretrained(location, dtype=torch_dtype, attn_implementation="sdpa",
                                                     use_safetensors=True, trust_remote_code=trust_remote_code)
    except (OSError, ValueError) as error:
        if not trust_remote_code and "trust_remote_code" in str(error):
            raise ModelSpecError(f"model '{spec}' ships its own Python code ({location}); run it only if you "
                                 "trust it: --trust-remote-code, or --set engine.trust_remote_code=true") from None
        hint = "" if Path(location).exists() else " (a hub id needs network access or a local copy in the HF cache)"
        raise ModelSpecError(f"cannot load model '{spec}' from {location}: {_first_line(error)}{hint}") from None
    except Exception as error:  # noqa: BLE001 - damaged weights raise whatever their reader raises
        if os.environ.get("SPELLTUNE_DEBUG"):
            raise
        raise ModelSpecError(f"cannot load model '{spec}' from {location}: damaged or unreadable weights "
                             f"({type(error).__name__}: {_first_line(error)})") from None
    return model, tokenizer


def _attach_adapter(model: Any, adapter_dir: str) -> Any:
    try:
        from peft import PeftModel
    except ImportError:
        raise ModelSpecError(f"{adapter_dir} is a LoRA adapter; loading it needs `pip install peft`") from None
    try:
        return PeftModel.from_pretrained(model, adapter_dir).merge_and_unload()
    except Exception as error:  # noqa: BLE001 - a damaged adapter raises whatever its reader raises
        if os.environ.get("SPELLTUNE_DEBUG"):
            raise
        raise ModelSpecError(f"cannot load the LoRA adapter in {adapter_dir}: damaged or unreadable "
                             f"({type(error).__name__}: {_first_line(error)})") from None


@contextmanager
def _progress_only_on_terminals():
    """transformers shows a GGUF conversion bar even in pipes and logs; show it on terminals only."""
    from functools import partial

    from tqdm.auto import tqdm
    from transformers import modeling_gguf_pytorch_utils as gguf_utils

    original = getattr(gguf_utils, "tqdm", None)
    gguf_utils.tqdm = partial(tqdm, disable=None)  # None: disabled when the stream is not a terminal
    try:
        yield
    finally:
        if original is not None:
            gguf_utils.tqdm = original


def dequantized_gguf_dir(gguf_path: Path) -> Path:
    """A safetensors copy of a GGUF model in the user cache, made on first use (~13 s for 135M)."""
    stat = gguf_path.stat()
    key = hashlib.sha256(f"{gguf_path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = cache_root() / "models" / f"{gguf_path.stem}-{key}"
    if is_valid_entry(target, ("config.json", "model.safetensors")):
        return target
    from transformers import AutoModelForCausalLM

    try:
        tokenizer = _load_tokenizer(str(gguf_path.parent), gguf_file=gguf_path.name)
        with _progress_only_on_terminals():
            model = AutoModelForCausalLM.from_pretrained(str(gguf_path.parent), gguf_file=gguf_path.name)
    except Exception as error:  # noqa: BLE001 - a truncated GGUF raises whatever its parser hits first
        if os.environ.get("SPELLTUNE_DEBUG"):
            raise
        raise ModelSpecError(f"cannot read GGUF file {gguf_path}: damaged or not a GGUF model "
                             f"({type(error).__name__}: {_first_line(error)})") from None
    # save_pretrained refuses a quantizer-tagged model; the weights are already dequantized floats.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    with building_entry(target) as staging:  # a killed run leaves no half-written entry
        model.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
    return target
