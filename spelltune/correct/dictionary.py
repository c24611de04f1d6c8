"""An English word list, to tell a misspelling from a correctly spelled (but maybe wrong) word.

It is SymSpell's 82,765-word frequency dictionary (MIT), which installs with `symspellpy`;
`known_words` adds pyspellchecker's list (MIT).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The lowercase English words of the dictionary (loaded once)."""
    from importlib import resources

    text = (resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """A wider net: the SymSpell words plus pyspellchecker's 160k (which adds "ok", "selfie"-era words).

    Used where calling a correct word a misspelling costs more than missing one.
    """
    from spellchecker import SpellChecker

    return english_words() | frozenset(SpellChecker().word_frequency.keys())


def is_english_word(word: str) -> bool:
    """Whether `word` (case and surrounding punctuation ignored) is a correctly spelled English word."""
    from spelltune.correct.protected import strip_edge_punctuation

    core = strip_edge_punctuation(word).lower()
    return bool(core) and core in english_words()


@lru_cache(maxsize=1)
def load_symspell():
    """A symspellpy `SymSpell` over the same dictionary, for lookups within edit distance 2 (loaded once)."""
    from importlib.resources import files

    from symspellpy import SymSpell

    symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    dictionary = files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    symspell.load_dictionary(str(dictionary), term_index=0, count_index=1, encoding="utf-8")
    return symspell


def word_count(word: str) -> int:
    """How often `word` (lowercase) occurs in SymSpell's frequency corpus; 0 for a word it lacks."""
    return load_symspell().words.get(word.lower(), 0)


def match_case(original: str, replacement: str) -> str:
    """`replacement` in the case pattern of `original`: UPPER, Capitalised or as given."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
