"""The sha256 of model files, remembered in the cache (`fingerprints.json`) so a big file is read once.

Remembered per (path, size, mtime): a replaced or rewritten file is read again. Processes that fingerprint
models at the same time (a server and a `spelltune fix`) share the file: each update is a read, change and
atomic rewrite under a file lock, so no process drops another's entry and no reader sees half a file.
"""

from __future__ import annotations

import json
from pathlib import Path

from filelock import FileLock

from spelltune.atomic import file_sha256, write_json
from spelltune.models.cache import cache_root

MEMO_FILE = "fingerprints.json"


def memo_path() -> Path:
    """The file the digests are remembered in."""
    return cache_root() / MEMO_FILE


def _read_memo(path: Path) -> dict[str, str]:
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def cached_file_sha256(path: Path) -> str:
    """The sha256 hex digest of a file's content, read once and then remembered while it is unchanged."""
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    memo_file = memo_path()
    remembered = _read_memo(memo_file).get(key)
    if remembered is not None:
        return remembered
    digest = file_sha256(path)  # outside the lock: reading a big file must not hold up the other processes
    memo_file.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(memo_file.with_name(memo_file.name + ".lock")):
        memo = _read_memo(memo_file)
        memo[key] = digest
        write_json(memo_file, memo, indent=None)
    return digest
