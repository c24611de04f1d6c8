"""`write_merged_model`: a spec's weights as a standalone model folder a user can publish or load anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

from spelltune.atomic import atomic_directory
from spelltune.errors import InputError
from spelltune.models.loading import resolve_model_spec
from spelltune.models.merged import merged_model_dir

CARD_FILE = "README.md"


def merged_card(spec: str, kind: str, run_card: str | None) -> str:
    """The merged folder's model card: where the weights came from, then the run's own card when there is one."""
    origin = {"adapter_dir": "a LoRA adapter merged into its base model's weights",
              "gguf": "a GGUF file dequantized to float weights"}.get(kind, "a copy of the model's weights")
    lines = [f"# Merged model from `{spec}`", "",
             f"Written by `spelltune merge {spec}`: {origin}, saved as safetensors with its tokenizer. It loads "
             "with `transformers.AutoModelForCausalLM.from_pretrained(DIR)`, `spelltune fix --model DIR` or "
             "`spelltune export DIR --to ...`.", ""]
    if run_card:
        lines += ["## The run it comes from", "", run_card.split("\n", 1)[1].strip() if "\n" in run_card else run_card, ""]
    return "\n".join(lines)


def write_merged_model(spec: str, out: Path, force: bool = False) -> Path:
    """OUT: SPEC's merged weights, tokenizer and a model card; an existing OUT only with `force`."""
    out = Path(out)
    if out.exists() and not force:
        raise InputError(f"{out} exists; pass --force to replace it")
    resolved = resolve_model_spec(spec)
    source = merged_model_dir(spec)
    run_card_path = Path(spec) / CARD_FILE
    run_card = run_card_path.read_text(encoding="utf-8") if Path(spec).is_dir() and run_card_path.is_file() else None
    with atomic_directory(out) as staging:
        for item in source.iterdir():
            if item.name == CARD_FILE or item.name.startswith("."):
                continue
            target = staging / item.name
            shutil.copytree(item, target) if item.is_dir() else shutil.copy2(item, target)
        (staging / CARD_FILE).write_text(merged_card(spec, resolved.kind, run_card), encoding="utf-8")
    return out
