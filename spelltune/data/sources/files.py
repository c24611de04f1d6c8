"""Reading a source file's lines, with errors that name the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from spelltune.errors import DataFormatError, InputError


def read_lines(path: Path | str) -> Iterator[tuple[int, str]]:
    """(line number from 1, line without its line ending) for each line of a UTF-8 text file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for number, line in enumerate(handle, start=1):
                yield number, line.rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise DataFormatError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error


def malformed(path: Path | str, line_number: int, what: str, line: str) -> DataFormatError:
    """The error for a line that breaks its file's format."""
    shown = line if len(line) <= 60 else line[:57] + "..."
    return DataFormatError(f"{path}:{line_number}: {what}: {shown!r}")
