"""The editor's feedback log (`spelltune serve`): the words a person misspelled and accepted a fix for.

Each line is `{"decision": "accepted"|"rejected", "sentence": …, "suggestion": {"original", "replacement", …}}`.
Accepted one-word changes become real misspellings of that person, for a per-person dataset.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from spelltune.data.sources.files import malformed, read_lines
from spelltune.data.types import WordMisspelling

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def load_feedback_misspellings(path: Path | str | None = None, source: str | None = None) -> list[WordMisspelling]:
    """(misspelling, correct word) for every accepted one-word suggestion in a feedback log, in file order.

    `path` defaults to the log `spelltune serve` writes. Rejected suggestions and multi-word changes are skipped.
    """
    if path is None:
        from spelltune.serve.personal import default_feedback_path

        path = default_feedback_path()
    name = source or "feedback"
    pairs: list[WordMisspelling] = []
    for number, line in read_lines(path):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            decision = record["decision"]
            original = record["suggestion"]["original"]
            replacement = record["suggestion"]["replacement"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise malformed(path, number, "expected a JSON object with decision and suggestion.original/replacement", line) from None
        if decision != "accepted" or not isinstance(original, str) or not isinstance(replacement, str):
            continue
        original, replacement = original.strip(" .,;:!?\"()"), replacement.strip(" .,;:!?\"()")
        if _WORD.fullmatch(original) and _WORD.fullmatch(replacement) and original.lower() != replacement.lower():
            pairs.append(WordMisspelling(correct=replacement, misspelling=original, source=name))
    return pairs
