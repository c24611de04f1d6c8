"""What the data stage calls a word: ASCII letters, with inner apostrophes ("don't", "o’clock")."""

from __future__ import annotations

import re

WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")


def words_in(text: str) -> list[str]:
    """The words of `text`, in order (punctuation, digits and spaces are not words)."""
    return WORD.findall(text)


def vocabulary_of(texts) -> set[str]:
    """The lower-cased words used anywhere in `texts`."""
    return {word.lower() for text in texts for word in WORD.findall(text)}
