"""An English word list, to tell a misspelling from a correctly spelled (but maybe wrong) word.

It is SymSpell's 82,765-word frequency dictionary (MIT), which installs with `symspellpy`.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The lowercase English words of the dictionary (loaded once)."""
    from importlib import resources

    text = (resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


def is_english_word(word: str) -> bool:
    """Whether `word` (case and surrounding punctuation ignored) is a correctly spelled English word."""
    from spelltune.correct.protected import strip_edge_punctuation

    core = strip_edge_punctuation(word).lower()
    return bool(core) and core in english_words()
