"""Content fingerprints of model specs: derived artefacts (merged weights, converted engines) are cached
under them, so a retrained adapter or a replaced file never loads a stale conversion."""

from __future__ import annotations

import hashlib
from pathlib import Path

from spelltune.models.file_digests import cached_file_sha256
from spelltune.models.loading import ResolvedSpec, resolve_model_spec

# Files that define a model; everything else in a directory (logs, checkpoints, plots) is ignored.
_MODEL_FILE_SUFFIXES = (".safetensors", ".json", ".gguf", ".model", ".txt", ".bin", ".jinja")
_IGNORED_NAMES = {"trainer_state.json", "training_args.bin", "spelltune_run.json"}


def directory_fingerprint(directory: Path) -> str:
    """A digest over the model-defining files of a directory (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name.endswith(_MODEL_FILE_SUFFIXES) and path.name not in _IGNORED_NAMES:
            digest.update(f"{path.name}:{cached_file_sha256(path)}\n".encode())
    return digest.hexdigest()


def model_fingerprint(spec: str | ResolvedSpec) -> str:
    """A short content digest of what `spec` loads: the same weights give the same fingerprint."""
    resolved = resolve_model_spec(spec) if isinstance(spec, str) else spec
    if resolved.kind == "gguf":
        body = "gguf:" + cached_file_sha256(Path(resolved.location) / str(resolved.gguf_file))
    elif resolved.kind == "adapter_dir":
        assert resolved.base_spec is not None
        body = f"adapter:{directory_fingerprint(Path(resolved.location))}+{model_fingerprint(resolved.base_spec)}"
    elif resolved.kind == "hub":
        body = "hub:" + _hub_revision(resolved.location)
    else:
        body = "dir:" + directory_fingerprint(Path(resolved.location))
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def _hub_revision(repo_id: str) -> str:
    # The commit a cached hub model resolves to; without a local copy, the id alone (it will download).
    try:
        from huggingface_hub import snapshot_download

        return repo_id + "@" + Path(snapshot_download(repo_id, local_files_only=True)).name
    except Exception:  # noqa: BLE001 - not cached locally: nothing better to key on
        return repo_id
