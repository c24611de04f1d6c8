"""Spacing errors: a space inside a word (sen tence) or a missing one between two (infront)."""

from __future__ import annotations

import random

from spelltune.data.lexicon.homophones import COMMON_MERGES

_MERGED_BY_PHRASE = {phrase: merged for merged, phrase in COMMON_MERGES.items()}


def split_word(word: str, rng: random.Random) -> str | None:
    """`word` with a space inserted at least two letters from either end (sentence -> sen tence)."""
    if len(word) < 6 or not word.isalpha():
        return None
    at = rng.randrange(2, len(word) - 1)
    return word[:at] + " " + word[at:]


def merge_words(first: str, second: str, rng: random.Random) -> str | None:
    """The two words written as one (in front -> infront, a lot -> alot), or None if implausible.

    Known everyday merges always apply; other pairs merge only when both words are short function-like
    words or the pair is short enough to be typed as one (`rng` picks whether a long pair is allowed).
    """
    if not (first.isalpha() and second.isalpha()):
        return None
    phrase = f"{first.lower()} {second.lower()}"
    if phrase in _MERGED_BY_PHRASE:
        merged = _MERGED_BY_PHRASE[phrase]
        return (first[0] + merged[1:]) if first[:1].isupper() else merged
    if second[:1].isupper():  # never glue onto a name
        return None
    if len(first) + len(second) > 12 and rng.random() < 0.5:
        return None
    return first + second
