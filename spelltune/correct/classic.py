"""Classic spell checkers as correctors, so they run through the same harness as the models.

Each is a baseline the language model must beat: `identity` (returns the text unchanged),
`symspell` (symspellpy with its bundled 82,765-word frequency dictionary, one word at a time),
`symspell-compound` (symspellpy's whole-line `lookup_compound`), `pyspellchecker`, and `hunspell`
(where the `hunspell` module and a system en_US dictionary are installed).

`symspell` is per-word because that scored better on BEA-322 (sentence exact match 28.9% against
0.3% for `lookup_compound`, which lowercases lines and drops punctuation).

The per-word correctors touch only plain alphabetic words: punctuation, spacing, numbers, words with
apostrophes or digits, URLs, e-mail addresses and all-capital abbreviations stay as they are, and a
replacement takes the case of the word it replaces (`Teh` → `The`, `TEH` stays an abbreviation).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from spelltune.correct.corrector import Correction, Corrector, Edit
from spelltune.correct.dictionary import load_symspell, match_case

# A token the per-word correctors may change: letters only, not glued to digits, '@', '/', '.' words.
_WORD = re.compile(r"(?<![\w@/.'’-])[A-Za-z]+(?![\w@/'’-])(?!\.[A-Za-z])")
# Whole stretches that are never words to correct: URLs, e-mail addresses, paths, code-ish tokens.
_PROTECTED = re.compile(r"\S*(?:://|www\.|@|\.[a-z]{2,4}/|[_\\{}<>=#`])\S*")


class IdentityCorrector:
    """The do-nothing baseline: every line comes back unchanged. A metric it scores well on is weak."""

    name = "identity"
    size_label = "none"
    size_parameters = 0

    def correct_lines(self, lines: list[str]) -> list[Correction]:
        """Return each line unchanged."""
        return [Correction(input=line, output=line) for line in lines]


class PerWordCorrector:
    """Corrects a line word by word with `suggest(lowercase_word) -> word`, keeping case and punctuation."""

    def __init__(self, name: str, suggest: Callable[[str], str], size_parameters: int, size_label: str):
        self.name = name
        self.size_parameters = size_parameters
        self.size_label = size_label
        self._suggest = lru_cache(maxsize=200_000)(suggest)

    def correct_line(self, line: str) -> Correction:
        """Correct one line; only plain alphabetic words outside URLs, e-mails and code can change."""
        protected = [match.span() for match in _PROTECTED.finditer(line)]
        edits: list[Edit] = []
        pieces: list[str] = []
        cursor = 0
        for match in _WORD.finditer(line):
            start, end = match.span()
            word = match.group()
            if any(p_start <= start < p_end for p_start, p_end in protected):
                continue
            if word.isupper() and len(word) > 1:  # an abbreviation such as NASA or CPU
                continue
            suggestion = self._suggest(word.lower())
            if not suggestion or suggestion == word.lower():
                continue
            replacement = match_case(word, suggestion)
            if replacement == word:
                continue
            pieces.append(line[cursor:start])
            pieces.append(replacement)
            cursor = end
            edits.append(Edit(start=start, end=end, original=word, replacement=replacement))
        pieces.append(line[cursor:])
        return Correction(input=line, output="".join(pieces), edits=edits)

    def correct_lines(self, lines: list[str]) -> list[Correction]:
        """Correct each line independently."""
        return [self.correct_line(line) for line in lines]


class SymSpellCompoundCorrector:
    """symspellpy's `lookup_compound` on each whole line: fixes splits and merges, but lowercases the
    line and drops its punctuation, so strict scores suffer. Kept to show that trade-off."""

    name = "symspell-compound"

    def __init__(self) -> None:
        self._symspell = load_symspell()
        self.size_parameters = len(self._symspell.words)
        self.size_label = f"{self.size_parameters:,}-word dictionary"

    def correct_lines(self, lines: list[str]) -> list[Correction]:
        """Correct each non-empty line with `lookup_compound` (max edit distance 2)."""
        corrections = []
        for line in lines:
            if not line.strip():
                corrections.append(Correction(input=line, output=line))
                continue
            suggestions = self._symspell.lookup_compound(line, max_edit_distance=2)
            proposed = suggestions[0].term if suggestions else line
            # Its words, in the line's own spacing: the output is exactly the line with the edits applied.
            edits = _compute_edits(line, proposed)
            corrections.append(Correction(input=line, output=_apply_edits(line, edits), edits=edits))
        return corrections


def _compute_edits(source: str, target: str) -> list[Edit]:
    """Edit spans from `spelltune.correct.edits.compute_edits` when it exists, else none."""
    try:
        from spelltune.correct.edits import compute_edits
    except ImportError:
        return []
    return list(compute_edits(source, target))


def _apply_edits(source: str, edits: list[Edit]) -> str:
    from spelltune.correct.edits import apply_edits

    return apply_edits(source, edits)


def symspell_corrector() -> PerWordCorrector:
    """SymSpell, one word at a time: the most frequent dictionary word within edit distance 2."""
    from symspellpy import Verbosity

    symspell = load_symspell()

    def suggest(word: str) -> str:
        if word in symspell.words:
            return word
        suggestions = symspell.lookup(word, Verbosity.TOP, max_edit_distance=2, transfer_casing=False)
        return suggestions[0].term if suggestions else word

    size = len(symspell.words)
    return PerWordCorrector("symspell", suggest, size, f"{size:,}-word dictionary")


def pyspellchecker_corrector() -> PerWordCorrector:
    """pyspellchecker (Norvig's method over its English word frequency list), one word at a time.

    Same dictionary and rule as `SpellChecker.correction`: a known word stays; else the most frequent
    known word one edit away; else two edits away. The two-edit search runs as a Damerau-Levenshtein
    scan in rapidfuzz instead of the library's pure-Python enumeration of ~10^5-10^6 strings per word
    (identical candidate sets on BEA-322 and the own suite, ~50x faster), and frequency ties break
    alphabetically instead of by set order, so runs are deterministic.
    """
    from spellchecker import SpellChecker

    checker = SpellChecker(language="en", distance=2)
    frequencies = checker.word_frequency.dictionary
    within_two_edits = _two_edit_search(list(frequencies))

    def suggest(word: str) -> str:
        if word in checker:
            return word
        candidates = checker.known(checker.edit_distance_1(word)) or within_two_edits(word)
        if not candidates:
            return word
        plain = _strip_diacritics(word)
        same_letters = [candidate for candidate in candidates if _strip_diacritics(candidate) == plain]
        return max(sorted(same_letters or candidates), key=lambda candidate: frequencies[candidate])

    size = len(frequencies)
    return PerWordCorrector("pyspellchecker", suggest, size, f"{size:,}-word dictionary")


def _two_edit_search(words: list[str]) -> Callable[[str], set[str]]:
    """A function giving the words within Damerau-Levenshtein distance 2 of its argument."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein, Levenshtein

    by_length: dict[int, list[str]] = {}
    for word in words:
        by_length.setdefault(len(word), []).append(word)

    @lru_cache(maxsize=64)
    def pool(length: int) -> list[str]:
        return [word for near in range(length - 2, length + 3) for word in by_length.get(near, ())]

    def search(word: str) -> set[str]:
        # Damerau-Levenshtein <= 2 implies Levenshtein <= 4: a fast bit-parallel prefilter.
        rough = process.extract(word, pool(len(word)), scorer=Levenshtein.distance, score_cutoff=4, limit=None)
        return {match[0] for match in rough if DamerauLevenshtein.distance(word, match[0]) <= 2}

    return search


def _strip_diacritics(word: str) -> str:
    import unicodedata

    return "".join(char for char in unicodedata.normalize("NFKD", word) if not unicodedata.combining(char))


HUNSPELL_DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell", "/Library/Spelling")
HUNSPELL_INSTALL_HINT = "apt-get install libhunspell-dev hunspell-en-us && pip install hunspell"


def hunspell_corrector(language: str = "en_US") -> PerWordCorrector:
    """Hunspell (the checker of LibreOffice and Firefox) with the system en_US dictionary, per word:
    a word Hunspell accepts stays; otherwise its first suggestion (a single word) replaces it."""
    from pathlib import Path

    from spelltune.errors import ModelSpecError

    try:
        import hunspell
    except ImportError:
        raise ModelSpecError(f"the hunspell baseline needs the hunspell module: run `{HUNSPELL_INSTALL_HINT}`") from None
    for folder in map(Path, HUNSPELL_DICTIONARY_DIRS):
        dic, aff = folder / f"{language}.dic", folder / f"{language}.aff"
        if dic.is_file() and aff.is_file():
            break
    else:
        raise ModelSpecError(f"no {language} Hunspell dictionary found: run `{HUNSPELL_INSTALL_HINT}`")
    checker = hunspell.HunSpell(str(dic), str(aff))

    def suggest(word: str) -> str:
        if checker.spell(word):
            return word
        suggestions = [s for s in checker.suggest(word) if " " not in s and "-" not in s]
        return suggestions[0].lower() if suggestions else word

    entries = sum(1 for _ in dic.open(encoding="utf-8", errors="replace")) - 1
    return PerWordCorrector("hunspell", suggest, entries, f"{entries:,}-stem dictionary")


CLASSIC_CORRECTORS: dict[str, Callable[[], Corrector]] = {
    "identity": IdentityCorrector,
    "symspell": symspell_corrector,
    "symspell-compound": SymSpellCompoundCorrector,
    "pyspellchecker": pyspellchecker_corrector,
    "hunspell": hunspell_corrector,
}
