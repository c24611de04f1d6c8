"""Corrections as suggestions an editor can place: offsets in the whole input, a kind, a confidence.

`kind` is read from the edit itself: `case` (only letter case changes), `apostrophe` (only
apostrophes change: dont → don't), `split-merge` (only spaces or hyphens change: alot → a lot),
`real-word` (a correctly spelled word that is the wrong one: their → there) and `spelling` (the rest).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spelltune.correct.corrector import Correction

KINDS = ("spelling", "real-word", "apostrophe", "split-merge", "case")
_APOSTROPHES = "'’`"
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def edit_kind(original: str, replacement: str) -> str:
    """The kind of one change, from its original and replacement text (see the module docstring)."""
    if original == replacement:
        return "spelling"
    if original.lower() == replacement.lower():
        return "case"

    def without(text: str, chars: str) -> str:
        return "".join(char for char in text if char not in chars).lower()

    if without(original, _APOSTROPHES) == without(replacement, _APOSTROPHES):
        return "apostrophe"
    if without(original, " -\t") == without(replacement, " -\t"):
        return "split-merge"
    words = _WORD.findall(original)
    if words and all(_is_known_word(word) for word in words):
        return "real-word"
    return "spelling"


def _is_known_word(word: str) -> bool:
    from spelltune.correct.dictionary import known_words

    return word.lower() in known_words() or word.lower().replace("’", "'") in known_words()


# Refusals that protect meaning or a token: never offered to the writer, not even as a hint.
_NEVER_HINTED = ("changes a", "drops a negation", "adds a negation", "drops part of a contraction",
                 "replaces a correctly spelled word")


def worth_a_hint(original: str, proposed: str | None, reason: str) -> bool:
    """Whether an editor may offer a refused proposal as a weak hint: only for a misspelled word (one no word
    list knows) of at most three words, never when the refusal protects meaning or a token (a name, a
    number, a negation) and never when every word was spelled correctly ("Yesterday" -> "Today")."""
    if not proposed or proposed == original or reason.startswith(_NEVER_HINTED):
        return False
    words = _WORD.findall(original)
    return 0 < len(words) <= 3 and not all(_is_known_word(word) for word in words)


@dataclass(frozen=True)
class LinePlacement:
    """One corrected line and where it starts in the whole input."""

    offset: int
    correction: Correction


def suggestion_dicts(placed: list[LinePlacement]) -> tuple[list[dict], list[dict]]:
    """(suggestions, refused) for an editor: offsets and lengths in the whole input, ids `s1`, `r1`, …"""
    suggestions: list[dict] = []
    refused: list[dict] = []
    for place in placed:
        for edit in sorted(place.correction.edits, key=lambda item: (item.start, item.end)):
            suggestions.append({
                "id": f"s{len(suggestions) + 1}",
                "offset": place.offset + edit.start,
                "length": edit.end - edit.start,
                "original": edit.original,
                "replacement": edit.replacement,
                "kind": edit_kind(edit.original, edit.replacement),
                "confidence": None if edit.confidence is None else round(float(edit.confidence), 4),
            })
        for rejection in place.correction.rejected:
            if rejection.start is None or rejection.end is None:
                continue
            refused.append({
                "id": f"r{len(refused) + 1}",
                "offset": place.offset + rejection.start,
                "length": rejection.end - rejection.start,
                "original": rejection.original,
                "proposed": rejection.proposed,
                "reason": rejection.reason,
                "hint": worth_a_hint(rejection.original, rejection.proposed, rejection.reason),
            })
    return suggestions, refused

