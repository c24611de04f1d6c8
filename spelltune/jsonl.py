"""Reading JSONL files line by line, with errors that name the file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spelltune.errors import DataFormatError, InputError


def read_jsonl_objects(path: Path | str, missing_hint: str = "") -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number from 1, object) for each non-blank line of a JSONL file.

    A missing file is an InputError (with `missing_hint` appended); a line that is not UTF-8, not
    JSON or not a JSON object is a DataFormatError naming the file and line. Callers check fields.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" + (f"; {missing_hint}" if missing_hint else ""))
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise DataFormatError(f"{path}:{number}: not UTF-8 text ({error.reason})") from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataFormatError(f"{path}:{number}: not valid JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise DataFormatError(f"{path}:{number}: each line must be a JSON object")
            yield number, row
