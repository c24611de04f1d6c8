"""Where spelltune keeps what it derives from downloaded or embedded weights."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CACHE_ENV = "SPELLTUNE_CACHE_DIR"


def cache_root() -> Path:
    """The cache directory: `$SPELLTUNE_CACHE_DIR`, else the platform's user cache for spelltune."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("spelltune"))


def is_valid_entry(directory: Path, required: tuple[str, ...] = ("config.json",)) -> bool:
    """Whether a cache entry is complete and undamaged: its files match the sha256 manifest written with it.

    An entry from before manifests, or one whose files changed since, is not valid and gets rebuilt.
    """
    from spelltune.atomic import verify_checksum_manifest
    from spelltune.models.fingerprint import file_sha256

    if not all((directory / name).is_file() for name in required):
        return False
    return verify_checksum_manifest(directory, digest=file_sha256)


@contextmanager
def building_entry(target: Path) -> Iterator[Path]:
    """Build a cache entry in a temporary sibling; on success it gets its checksum manifest and replaces `target`."""
    from spelltune.atomic import atomic_directory, write_checksum_manifest

    with atomic_directory(target) as staging:
        yield staging
        write_checksum_manifest(staging)
