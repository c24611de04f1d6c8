"""The editor's feedback log (`spelltune serve`): the words a person misspelled and accepted a fix for.

Each line is `{"decision": "accepted"|"rejected", "sentence": …, "suggestion": {"original", "replacement", …}}`.
Accepted one-word changes become real misspellings of that person, for a per-person dataset;
`read_feedback_event` reads one record as a decision placed in its sentence (learning and `adapt` use it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from spelltune.data.sources.files import malformed, read_lines
from spelltune.data.types import WordMisspelling
from spelltune.errors import InputError

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


@dataclass(frozen=True)
class FeedbackEvent:
    """One decision on one suggestion: the change at `start:end` of `sentence`."""

    decision: str  # "accepted" or "rejected"
    sentence: str
    start: int
    end: int
    original: str
    replacement: str
    time: str | None = None


def read_feedback_event(record: Mapping) -> FeedbackEvent:
    """The event in one feedback record, or InputError saying what is wrong with it.

    When the suggestion's offset does not point at its original (the line changed), the first place the
    original occurs in the sentence is taken.
    """
    if not isinstance(record, Mapping):
        raise InputError("a feedback record must be a JSON object")
    decision, sentence, suggestion = record.get("decision"), record.get("sentence"), record.get("suggestion")
    if decision not in ("accepted", "rejected"):
        raise InputError(f"decision must be accepted or rejected, not {decision!r}")
    if not isinstance(sentence, str) or not isinstance(suggestion, Mapping):
        raise InputError("a feedback record needs a sentence (text) and a suggestion (object)")
    original, replacement = suggestion.get("original"), suggestion.get("replacement")
    if not isinstance(original, str) or not isinstance(replacement, str) or not original:
        raise InputError("a suggestion needs its original and replacement text")
    offset, length = suggestion.get("offset"), suggestion.get("length", len(original))
    start = offset if isinstance(offset, int) and not isinstance(offset, bool) else -1
    if not (0 <= start and isinstance(length, int) and sentence[start : start + length] == original):
        start = sentence.find(original)
        if start < 0:
            raise InputError(f"the suggestion's original {original[:40]!r} is not in its sentence")
    time = record.get("time") if isinstance(record.get("time"), str) else None
    return FeedbackEvent(decision, sentence, start, start + len(original), original, replacement, time)
