"""Letter slips that need no keyboard: a letter left out, typed twice, a double typed once, or two letters swapped."""

from __future__ import annotations

import random


def delete_letter(word: str, rng: random.Random) -> str | None:
    """`word` with one letter left out (sentence -> sentnce); words under 4 letters are left alone."""
    if len(word) < 4 or not word.isalpha():
        return None
    index = rng.randrange(1, len(word))  # keep the first letter: people rarely drop it
    return word[:index] + word[index + 1 :]


def double_letter(word: str, rng: random.Random) -> str | None:
    """`word` with one letter typed twice (until -> untill)."""
    if len(word) < 3 or not word.isalpha():
        return None
    index = rng.randrange(1, len(word))
    return word[: index + 1] + word[index].lower() + word[index + 1 :]


def transpose_letters(word: str, rng: random.Random) -> str | None:
    """`word` with two adjacent, different letters swapped (the -> teh) and nothing else changed."""
    if len(word) < 3 or not word.isalpha():
        return None
    candidates = [i for i in range(1, len(word) - 1) if word[i].lower() != word[i + 1].lower()]
    if not candidates:
        return None
    i = rng.choice(candidates)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def undouble_letter(word: str, rng: random.Random) -> str | None:
    """`word` with one doubled letter typed once (committee -> comittee, letter -> leter); None without one."""
    if not word.isalpha():
        return None
    doubles = [i for i in range(len(word) - 1) if word[i].lower() == word[i + 1].lower()]
    if not doubles:
        return None
    index = rng.choice(doubles)
    return word[:index] + word[index + 1 :]
