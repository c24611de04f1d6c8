"""Real-word errors: a homophone or confusable swapped in, a mined real-word error or slip written
for the word, or a contraction's apostrophe dropped."""

from __future__ import annotations

import random

from spelltune.correct.confusion import real_word_errors_for
from spelltune.correct.dictionary import match_case
from spelltune.data.lexicon.homophones import confusables_of


def swap_homophone(word: str, rng: random.Random) -> str | None:
    """Another member of `word`'s homophone set (their -> there, it's -> its), in `word`'s case."""
    options = confusables_of(word.replace("\u2019", "'"))
    if not options:
        return None
    choice = rng.choice(options)
    if word == "I" or word.startswith(("I'", "I\u2019")):
        return choice  # "I'm" has a capital only because of "I"
    return match_case(word, choice)


def drop_apostrophe(word: str, rng: random.Random) -> str | None:
    """`word` without its apostrophe (don't -> dont, I'm -> Im, they're -> theyre); `rng` is unused
    but kept so every corruption function has the same shape."""
    del rng
    if "'" not in word and "\u2019" not in word:
        return None
    bare = word.replace("'", "").replace("\u2019", "")
    return bare if bare.isalpha() else None


def swap_real_word_error(word: str, rng: random.Random) -> str | None:
    """A real word people write by mistake for `word` (from -> form, just -> gust, two -> tow), in
    `word`'s case: the mined real-word errors and one-letter slips of the correction lexicon."""
    options = real_word_errors_for(word)
    if not options or not word.isalpha():
        return None
    return match_case(word, rng.choice(options))
