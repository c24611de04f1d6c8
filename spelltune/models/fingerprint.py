"""Content fingerprints of model specs: derived artefacts (merged weights, converted engines) are cached
under them, so a retrained adapter or a replaced file never loads a stale conversion. Models loaded in a
process are kept under a cheaper stamp of the same files (sizes and modification times)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from spelltune.errors import ModelSpecError
from spelltune.models.file_digests import cached_file_sha256
from spelltune.models.loading import ResolvedSpec, resolve_model_spec

# Files that define a model; everything else in a directory (logs, checkpoints, plots) is ignored.
_MODEL_FILE_SUFFIXES = (".safetensors", ".json", ".gguf", ".model", ".txt", ".bin", ".jinja", ".onnx", ".data")
_IGNORED_NAMES = {"trainer_state.json", "training_args.bin", "spelltune_run.json"}


def file_stamp(path: Path) -> str:
    """A file's identity without reading it: size, modification time and inode (saving it again changes it)."""
    stat = path.stat()
    return f"{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}"


def directory_fingerprint(directory: Path, file_digest: Callable[[Path], str] = cached_file_sha256) -> str:
    """A digest over the model-defining files of a directory (names and `file_digest`: contents by default)."""
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name.endswith(_MODEL_FILE_SUFFIXES) and path.name not in _IGNORED_NAMES:
            digest.update(f"{path.name}:{file_digest(path)}\n".encode())
    return digest.hexdigest()


def model_fingerprint(spec: str | ResolvedSpec, file_digest: Callable[[Path], str] = cached_file_sha256) -> str:
    """A short content digest of what `spec` loads: the same weights give the same fingerprint.

    `file_digest` digests each file (its content by default; `file_stamp` for a cheap stamp instead).
    """
    resolved = resolve_model_spec(spec) if isinstance(spec, str) else spec
    if resolved.kind == "gguf":
        body = "gguf:" + file_digest(Path(resolved.location) / str(resolved.gguf_file))
    elif resolved.kind == "adapter_dir":
        assert resolved.base_spec is not None
        body = (f"adapter:{directory_fingerprint(Path(resolved.location), file_digest)}"
                f"+{model_fingerprint(resolved.base_spec, file_digest)}")
    elif resolved.kind == "hub":
        body = "hub:" + _hub_revision(resolved.location)
    else:
        body = "dir:" + directory_fingerprint(Path(resolved.location), file_digest)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def model_files_stamp(spec: str) -> str:
    """A stamp of the files `spec` loads as they are now, from sizes and modification times (nothing is
    read): it changes when another model is saved at the same path, so a process reloads it."""
    try:
        try:
            return model_fingerprint(spec, file_stamp)
        except ModelSpecError:  # an exported artefact folder (ONNX) or no model at all: the loader says which
            path = Path(spec).expanduser()
            return directory_fingerprint(path, file_stamp) if path.is_dir() else spec
    except OSError:  # a file that vanished or cannot be read: loading it reports that
        return spec


def _hub_revision(repo_id: str) -> str:
    # The commit a cached hub model resolves to; without a local copy, the id alone (it will download).
    try:
        from huggingface_hub import snapshot_download

        return repo_id + "@" + Path(snapshot_download(repo_id, local_files_only=True)).name
    except Exception:  # noqa: BLE001 - not cached locally: nothing better to key on
        return repo_id
