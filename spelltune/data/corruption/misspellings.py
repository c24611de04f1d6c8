"""Real human misspellings: a word replaced by one that people actually wrote for it."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from spelltune.correct.dictionary import match_case


def substitute_real_misspelling(
    word: str, misspellings: Mapping[str, Sequence[str]], rng: random.Random
) -> str | None:
    """A recorded misspelling of `word` (looked up lowercase; `misspellings` values must be sorted
    lowercase strings), written in `word`'s case: Because -> Becuase, BECAUSE -> BECUASE."""
    options = misspellings.get(word.lower())
    if not options:
        return None
    choice = rng.choice(list(options))
    return match_case(word, choice)
