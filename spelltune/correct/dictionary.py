"""An English word list, to tell a misspelling from a correctly spelled (but maybe wrong) word.

It is SymSpell's 82,765-word frequency dictionary (MIT), which installs with `symspellpy`;
`known_words` adds pyspellchecker's list (MIT).
"""

from __future__ import annotations

from functools import lru_cache

from spelltune.correct.edge_punctuation import strip_edge_punctuation


@lru_cache(maxsize=1)
def word_frequencies() -> dict[str, int]:
    """Lowercase word -> how often it occurs in SymSpell's frequency corpus (loaded once)."""
    from importlib import resources

    text = (resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    frequencies = {}
    for line in text.splitlines():
        if line:
            word, count = line.split(" ")[:2]
            frequencies[word] = int(count)
    return frequencies


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The lowercase English words of the dictionary (loaded once)."""
    return frozenset(word_frequencies())


@lru_cache(maxsize=1)
def _words_by_length() -> dict[int, list[str]]:
    by_length: dict[int, list[str]] = {}
    for word in word_frequencies():
        by_length.setdefault(len(word), []).append(word)
    return by_length


def dictionary_neighbours(word: str, max_distance: int = 2) -> list[tuple[str, int, int]]:
    """Dictionary words within `max_distance` edits of `word` (lowercase; optimal string alignment, a swap
    of neighbours is one edit) as (word, distance, corpus count), closest first, then most frequent.

    The same words, in the same order, as SymSpell's lookup over this dictionary, without its index of
    deletions (150 MB): the words of nearby lengths are compared directly (a few ms a word).
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    word = word.lower()
    frequencies, by_length = word_frequencies(), _words_by_length()
    found = []
    for length in range(max(1, len(word) - max_distance), len(word) + max_distance + 1):
        for match, distance, _ in process.extract(word, by_length.get(length, []), scorer=OSA.distance,
                                                  score_cutoff=max_distance, limit=None):
            found.append((match, int(distance), frequencies[match]))
    return sorted(found, key=lambda hit: (hit[1], -hit[2], hit[0]))


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """A wider net: the SymSpell words plus pyspellchecker's 160k (which adds "ok", "selfie"-era words).

    Used where calling a correct word a misspelling costs more than missing one.
    """
    from spellchecker import SpellChecker

    return english_words() | frozenset(SpellChecker().word_frequency.keys())


# Latin letters that Unicode does not decompose into a plain letter and a mark, though each is one with a
# stroke or without its dot ("ı" of "ın", "ø" of "førmer").
_PLAIN_LETTERS = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                                "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T"})


def without_accents(word: str) -> str:
    """`word` with its letters' accents and strokes taken off ("naïve" -> "naive", "førmer" -> "former");
    letters with no plain form stay."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return plain.translate(_PLAIN_LETTERS)


def is_accented_word(word: str) -> bool:
    """Whether `word` is a real word written with accents: known as written ("café", "fiancée") or listed in
    lexicon/accented_words.txt ("naïve", "résumé"). Other accents are typos ("ệyes", "approvád", "ĩt")."""
    if word.isascii():
        return False
    lower = word.lower()
    return lower in known_words() or lower in _listed_accented_words()


@lru_cache(maxsize=1)
def _listed_accented_words() -> frozenset[str]:
    from importlib.resources import files

    text = (files("spelltune.correct") / "lexicon" / "accented_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def short_words() -> frozenset[str]:
    """The two-letter words that are right as written: the dictionary's own (strict: not known_words(), whose
    wider list holds "ir", "od", "va") and lexicon/short_words.txt (interjections, titles, abbreviations)."""
    from importlib.resources import files

    text = (files("spelltune.correct") / "lexicon" / "short_words.txt").read_text(encoding="utf-8")
    listed = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(w for w in english_words() if len(w) == 2) | frozenset(listed)


def is_english_word(word: str) -> bool:
    """Whether `word` (case and surrounding punctuation ignored) is a correctly spelled English word."""
    core = strip_edge_punctuation(word).lower()
    return bool(core) and core in english_words()


@lru_cache(maxsize=1)
def load_symspell():
    """A symspellpy `SymSpell` over the same dictionary, for lookups within edit distance 2 (loaded once;
    the `symspell` baseline corrector uses it)."""
    from importlib.resources import files

    from symspellpy import SymSpell

    symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    dictionary = files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    symspell.load_dictionary(str(dictionary), term_index=0, count_index=1, encoding="utf-8")
    return symspell


def word_frequency(word: str) -> int:
    """How often `word` (lowercase) occurs in SymSpell's frequency corpus; 0 for a word it lacks."""
    return word_frequencies().get(word.lower(), 0)


def match_case(original: str, replacement: str) -> str:
    """`replacement` in the case pattern of `original`: UPPER, Capitalised or as given."""
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
