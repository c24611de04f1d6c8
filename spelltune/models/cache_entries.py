"""Cache entries (merged adapters, dequantized GGUF): built whole with a sha256 manifest, checked before use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spelltune.atomic import atomic_directory, verify_checksum_manifest, write_checksum_manifest
from spelltune.models.file_digests import cached_file_sha256


def is_valid_entry(directory: Path, required: tuple[str, ...] = ("config.json",)) -> bool:
    """Whether a cache entry is complete and undamaged: its files match the sha256 manifest written with it.

    An entry from before manifests, or one whose files changed since, is not valid and gets rebuilt.
    """
    if not all((directory / name).is_file() for name in required):
        return False
    return verify_checksum_manifest(directory, digest=cached_file_sha256)


@contextmanager
def building_entry(target: Path) -> Iterator[Path]:
    """Build a cache entry in a temporary sibling; on success it gets its checksum manifest and replaces `target`."""
    with atomic_directory(target) as staging:
        yield staging
        write_checksum_manifest(staging)
