"""Checkpoints `--resume` can trust: a checkpoint counts only once it is completely on disk.

The trainer writes `checkpoint-N/` file by file; a run killed in the middle leaves a folder that looks
like a checkpoint but is not one. After the last file is written and flushed, spelltune adds a marker
file; `--resume` picks the newest checkpoint with the marker and removes unmarked ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from spelltune.atomic import fsync_tree, write_text

COMPLETE_MARKER = "spelltune_checkpoint_complete"
_LEGACY_COMPLETE_FILE = "trainer_state.json"  # the last file the trainer writes into a checkpoint


def checkpoint_step(path: Path) -> int | None:
    """N for a `checkpoint-N` folder, else None."""
    prefix, _, number = path.name.rpartition("-")
    return int(number) if prefix == "checkpoint" and number.isdigit() else None


def _checkpoint_dirs(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_dir() and checkpoint_step(p) is not None]


def is_complete(checkpoint: Path, markers_in_use: bool = True) -> bool:
    """Whether `checkpoint` was completely written (older runs without markers: the trainer's last file)."""
    if (checkpoint / COMPLETE_MARKER).is_file():
        return True
    return not markers_in_use and (checkpoint / _LEGACY_COMPLETE_FILE).is_file()


def complete_checkpoints(run_dir: Path) -> list[Path]:
    """The completely written checkpoints under RUN_DIR/checkpoints, oldest step first."""
    found = _checkpoint_dirs(Path(run_dir) / "checkpoints")
    markers_in_use = any((p / COMPLETE_MARKER).is_file() for p in found)
    return sorted((p for p in found if is_complete(p, markers_in_use)), key=lambda p: checkpoint_step(p) or 0)


def last_checkpoint(run_dir: Path) -> Path | None:
    """The newest completely written `checkpoint-N` under RUN_DIR/checkpoints, or None."""
    complete = complete_checkpoints(run_dir)
    return complete[-1] if complete else None


def discard_incomplete_checkpoints(run_dir: Path) -> list[Path]:
    """Remove checkpoint folders a killed run left half-written; returns what was removed."""
    complete = set(complete_checkpoints(run_dir))
    removed = [p for p in _checkpoint_dirs(Path(run_dir) / "checkpoints") if p not in complete]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def mark_complete(checkpoint: Path) -> None:
    """Flush every file of `checkpoint` to disk, then add the marker that makes it resumable."""
    fsync_tree(checkpoint)
    write_text(checkpoint / COMPLETE_MARKER, "complete\n")
