"""What the on-device exports (ExecuTorch, Core ML) share: quantization names, the tokenizer files copied
beside the artefact, the end-of-sequence ids, the check prompt and the reference logits it is compared with.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spelltune.errors import ExportError

# --quant values the on-device writers accept; the first is the default. "fp32" is an alias of float32.
MOBILE_QUANTS = ("float32", "int8")
_QUANT_ALIASES = {"fp32": "float32", "f32": "float32", "float32": "float32", "int8": "int8", "q8": "int8"}

# The files a tokenizer is saved as; the on-device artefact ships whichever of them the model has.
TOKENIZER_FILES = (
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja",
    "vocab.json", "merges.txt", "tokenizer.model", "added_tokens.json", "generation_config.json",
)

# The sentence whose correction prompt the writers run to compare the artefact with the PyTorch model.
CHECK_SENTENCE = "Ther cat sat on teh mat."


def normalise_quant(format_name: str, quant: str | None) -> str:
    """The canonical quantization name (float32 when None); an ExportError for one the format lacks."""
    if quant is None:
        return MOBILE_QUANTS[0]
    canonical = _QUANT_ALIASES.get(quant.strip().lower())
    if canonical is None:
        raise ExportError(f"--to {format_name} has no quantization '{quant}': use one of {', '.join(MOBILE_QUANTS)}")
    return canonical


def check_model_dir(model_dir: Path) -> None:
    """An ExportError unless `model_dir` is a Hugging Face model directory (config.json and a tokenizer)."""
    if not (model_dir / "config.json").is_file():
        raise ExportError(f"{model_dir} is not a Hugging Face model directory (no config.json)")
    if not any((model_dir / name).is_file() for name in ("tokenizer.json", "tokenizer.model", "vocab.json")):
        raise ExportError(f"{model_dir} has no tokenizer (tokenizer.json, tokenizer.model or vocab.json)")


def copy_tokenizer_files(model_dir: Path, out_dir: Path) -> list[Path]:
    """Copy the tokenizer (and generation config) files of `model_dir` into `out_dir`; the copies."""
    copied = []
    for name in TOKENIZER_FILES:
        source = model_dir / name
        if source.is_file():
            shutil.copy2(source, out_dir / name)
            copied.append(out_dir / name)
    return copied


def eos_token_ids(model: Any, tokenizer: Any) -> list[int]:
    """Every id that ends a generation: the config's and generation config's EOS ids plus the tokenizer's."""
    found: list[int] = []
    sources = [getattr(model.config, "eos_token_id", None),
               getattr(getattr(model, "generation_config", None), "eos_token_id", None),
               tokenizer.eos_token_id]
    im_end = tokenizer.convert_tokens_to_ids("<|im_end|>") if "<|im_end|>" in tokenizer.get_vocab() else None
    sources.append(im_end)
    for source in sources:
        for value in source if isinstance(source, (list, tuple)) else [source]:
            if isinstance(value, int) and value >= 0 and value not in found:
                found.append(value)
    return found


@dataclass
class Reference:
    """The PyTorch model's answer on the check prompt: what an exported artefact must reproduce."""

    prompt: str
    token_ids: list[int]
    logits: Any  # torch.Tensor [len(token_ids), vocab]


def load_reference_model(model_dir: Path) -> tuple[Any, Any]:
    """The float32 PyTorch model (eval mode, static-shape friendly attention) and its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32, attn_implementation="sdpa")
    except (OSError, ValueError) as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ExportError(f"cannot load the model in {model_dir}: {first[:300]}") from None
    model.eval()
    return model, tokenizer


def reference_logits(model: Any, tokenizer: Any, max_seq_len: int) -> Reference:
    """The PyTorch model's logits on the correction prompt for CHECK_SENTENCE (cut to `max_seq_len` tokens)."""
    import torch

    from spelltune.prompt import build_prompt

    prompt = build_prompt(tokenizer, CHECK_SENTENCE)
    token_ids = tokenizer(prompt, add_special_tokens=False).input_ids[:max_seq_len]
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([token_ids])).logits[0].float()
    return Reference(prompt, token_ids, logits)


def max_abs_diff(reference: Any, candidate: Any) -> float:
    """max |reference - candidate| over all positions and vocabulary entries (shapes must agree)."""
    import torch

    candidate = torch.as_tensor(candidate).float().reshape(reference.shape)
    return float((reference - candidate).abs().max())


def same_greedy_tokens(reference: Any, candidate: Any) -> bool:
    """Whether the argmax token agrees at every position of the prompt."""
    import torch

    candidate = torch.as_tensor(candidate).float().reshape(reference.shape)
    return bool((reference.argmax(-1) == candidate.argmax(-1)).all())


def write_json(path: Path, payload: dict[str, Any]) -> Path:
    """Write `payload` as indented JSON with a final newline; the path."""
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path
