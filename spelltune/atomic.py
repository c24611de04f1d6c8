"""Write artefacts so that a killed run leaves either the old artefact or the new one, never half of one.

Files are written to a temporary sibling, flushed to disk and renamed over the target (`os.replace` is
atomic on POSIX and Windows). Directories are built in a temporary sibling and renamed into place.
Cache entries carry a manifest of sha256 checksums so a damaged entry is rebuilt instead of loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MANIFEST_FILE = "spelltune_manifest.json"


def _fsync_directory(directory: Path) -> None:
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not supported here (Windows); the rename itself is still atomic
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Write `data` to `path` atomically: a reader sees the old file or the new one, never a torn one."""
    with open_atomic(path, "wb") as out:
        out.write(data)
    return Path(path)


_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _new_temporary_file(path: Path) -> tuple[int, Path]:
    # A fresh sibling created as open() would (0666 less the umask): mkstemp's 0600 would stick to the file.
    while True:
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, _NEW_FILE_FLAGS, 0o666), temporary
        except FileExistsError:
            continue


@contextmanager
def open_atomic(path: Path | str, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None):
    """A file handle to write `path` in one go: the content appears under its name only when the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _new_temporary_file(path)
    binary = "b" in mode
    try:
        with os.fdopen(handle, mode, encoding=None if binary else encoding, newline=None if binary else newline) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically (see `write_bytes`)."""
    return write_bytes(path, text.encode(encoding))


def write_json(path: Path | str, data: Any, indent: int | None = 2) -> Path:
    """Write `data` as JSON (UTF-8, trailing newline) to `path` atomically."""
    return write_text(path, json.dumps(data, indent=indent, ensure_ascii=False) + "\n")


@contextmanager
def atomic_directory(target: Path | str, replace: bool = True) -> Iterator[Path]:
    """Build a directory in a temporary sibling and rename it to `target` when the block succeeds.

    If the block fails, nothing is left behind and an existing `target` is untouched. With
    `replace=False` an existing `target` wins (another process built the same thing first).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _new_staging_directory(target)
    try:
        yield staging
        publish_directory(staging, target, replace=replace)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _new_staging_directory(target: Path) -> Path:
    # A fresh sibling made as mkdir would (0777 less the umask): mkdtemp's 0700 would stick to the folder.
    while True:
        staging = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
        try:
            staging.mkdir()
        except FileExistsError:
            continue
        return staging


def publish_directory(staging: Path | str, target: Path | str, replace: bool = True) -> Path:
    """Flush a finished directory built at `staging` and rename it to `target` (a sibling).

    An existing `target` is swapped out and removed only once the new one is in place; with
    `replace=False` it wins instead (another process built the same thing first).
    """
    staging, target = Path(staging), Path(target)
    fsync_tree(staging)
    if target.exists():
        if not replace:
            shutil.rmtree(staging, ignore_errors=True)
            return target
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        try:
            os.replace(staging, target)
        except OSError:
            if not target.is_dir() or replace:
                raise
            shutil.rmtree(staging, ignore_errors=True)  # built meanwhile by another process
    _fsync_directory(target.parent)
    return target


def fsync_tree(directory: Path | str) -> None:
    """Flush every file under `directory` (and the folders themselves) to disk."""
    for root, _, files in os.walk(directory):
        for name in files:
            try:
                handle = os.open(os.path.join(root, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
        _fsync_directory(Path(root))


def file_sha256(path: Path | str) -> str:
    """The sha256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksum_manifest(directory: Path | str) -> Path:
    """Record the sha256 of every file in `directory` in its manifest (call before the final rename)."""
    directory = Path(directory)
    files = {
        path.relative_to(directory).as_posix(): file_sha256(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST_FILE
    }
    return write_json(directory / MANIFEST_FILE, {"sha256": files})


def verify_checksum_manifest(directory: Path | str, digest: Callable[[Path], str] = file_sha256) -> bool:
    """Whether `directory` holds its manifest and every file in it still has the recorded checksum.

    `digest` computes a file's sha256 (a memoising one makes repeated checks of big files cheap).
    """
    directory = Path(directory)
    try:
        recorded = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not isinstance(recorded, dict) or not recorded:
        return False
    for name, expected in recorded.items():
        path = directory / name
        if not path.is_file() or digest(path) != expected:
            return False
    return True
