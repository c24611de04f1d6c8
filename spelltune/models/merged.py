"""A spec's weights as one plain Hugging Face model directory: what converters and exporters read.

LoRA adapters are merged into their base, GGUF files dequantized, hub models taken from the local hub
cache. Merged copies are cached under the spec's content fingerprint.
"""

from __future__ import annotations

from pathlib import Path

from spelltune.errors import ModelSpecError
from spelltune.models.cache import cache_root
from spelltune.models.cache_entries import building_entry, is_valid_entry
from spelltune.models.fingerprint import model_fingerprint
from spelltune.models.loading import dequantized_gguf_dir, load_model, resolve_model_spec


def merged_model_dir(spec: str, trust_remote_code: bool = False) -> Path:
    """A directory with config.json, safetensors weights and the tokenizer for `spec` (adapters merged).

    `trust_remote_code` lets an adapter's base that ships its own Python code run it while merging.
    """
    resolved = resolve_model_spec(spec)
    if resolved.kind == "hf_dir":
        return Path(resolved.location)
    if resolved.kind == "gguf":
        return dequantized_gguf_dir(Path(resolved.location) / str(resolved.gguf_file))
    if resolved.kind == "hub":
        return _hub_snapshot(resolved.location)
    target = cache_root() / "merged" / model_fingerprint(resolved)
    if is_valid_entry(target):
        return target
    loaded = load_model(spec, device="cpu", dtype="float32", trust_remote_code=trust_remote_code)  # merges
    with building_entry(target) as staging:  # a killed run leaves no half-written entry
        loaded.model.save_pretrained(staging, safe_serialization=True)
        loaded.tokenizer.save_pretrained(staging)
    return target


def _hub_snapshot(repo_id: str) -> Path:
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(repo_id))
    except Exception as error:  # noqa: BLE001 - offline, unknown repo, gated: all one message
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ModelSpecError(
            f"cannot load model '{repo_id}': {first_line[:200]} "
            "(a hub id needs network access or a local copy in the HF cache)"
        ) from None
