"""Dyslexic reversals: mirror-image letters (b/d, p/q, m/w, n/u) and letters in reversed order."""

from __future__ import annotations

import random

from spelltune.correct.confusion import MIRROR_LETTERS

__all__ = ["MIRROR_LETTERS", "reverse_dyslexic_letters"]


def reverse_dyslexic_letters(word: str, rng: random.Random) -> str | None:
    """`word` with one mirror-image letter flipped (bad -> dad, d -> b) or a run of three letters
    reversed (was -> saw, form -> from); mirror flips are picked twice as often when both apply."""
    if len(word) < 2 or not word.isalpha():
        return None
    mirrors = [i for i, ch in enumerate(word) if ch in MIRROR_LETTERS]  # lowercase letters only
    runs = [i for i in range(len(word) - 2) if word[i] != word[i + 2] and word[i : i + 3].islower()]
    if mirrors and (not runs or rng.random() < 2 / 3):
        i = rng.choice(mirrors)
        return word[:i] + MIRROR_LETTERS[word[i]] + word[i + 1 :]
    if runs:
        i = rng.choice(runs)
        return word[:i] + word[i : i + 3][::-1] + word[i + 3 :]
    return None
