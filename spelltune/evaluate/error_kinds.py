"""Recall and precision by the situation a word is in, where correctors tend to stop short.

Every aligned word of every case (see `alignment.align_words`) gets the kinds that describe its place
in the input, independently of each other (a word can be short and first):

- `short word`: one or two letters (`ir` → is, `bz` → by, but also the right `an`, `of`);
- `non-ASCII`: a letter outside A–Z (`approvád`, but also the right `café`);
- `split/merge`: the expected or the output word count differs (`inspite` → `in spite`);
- `adjacent`: a neighbouring input word is wrong too (`sa proteacted`);
- `real word`: the input word is an English word (`form` → from, and every correct word a corrector
  might "fix" into another);
- `first word`: the first word of the line (no left context).

Per kind, **recall** is the share of the wrong input words of that kind the corrector set right, and
**precision** the share of its changes to words of that kind that gave the expected word. `all words`
is every word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from spelltune.evaluate.alignment import AlignedWord, align_words
from spelltune.evaluate.error_analysis import bare_word

ALL_WORDS = "all words"
ERROR_KINDS = ("short word", "non-ASCII", "split/merge", "adjacent", "real word", "first word")


@dataclass
class KindScore:
    """Counts for one kind: wrong input words and those set right; changes made and those right."""

    errors: int = 0
    fixed: int = 0
    changes: int = 0
    right_changes: int = 0

    @property
    def recall(self) -> float | None:
        """fixed / errors (None when there were no errors of this kind)."""
        return self.fixed / self.errors if self.errors else None

    @property
    def precision(self) -> float | None:
        """right_changes / changes (None when the corrector changed no word of this kind)."""
        return self.right_changes / self.changes if self.changes else None

    def to_json_dict(self) -> dict:
        """The counts with recall and precision, as report.json stores them."""
        return {**asdict(self), "recall": self.recall, "precision": self.precision}


def word_kinds(units: Sequence[AlignedWord], index: int, vocabulary: Iterable[str] | set[str]) -> set[str]:
    """The kinds (of ERROR_KINDS) of aligned word `index` in its line."""
    unit = units[index]
    letters = bare_word(unit.source)
    kinds: set[str] = set()
    if index == 0:
        kinds.add("first word")
    if 0 < len(letters) <= 2 and letters.isalpha():
        kinds.add("short word")
    if any(character.isalpha() and not character.isascii() for character in unit.source):
        kinds.add("non-ASCII")
    source_count = len(unit.source.split())
    if source_count != len(unit.expected.split()) or source_count != len(unit.output.split()):
        kinds.add("split/merge")
    neighbours = [units[i] for i in (index - 1, index + 1) if 0 <= i < len(units)]
    if any(_is_error(neighbour) for neighbour in neighbours):
        kinds.add("adjacent")
    if letters and source_count == 1 and letters in vocabulary:
        kinds.add("real word")
    return kinds


def score_by_kind(cases: Iterable[tuple[str, str, str]], vocabulary: Iterable[str] | None = None) -> dict[str, KindScore]:
    """Recall and precision per kind over (input, expected, output) triples; `all words` first."""
    if vocabulary is None:
        from spelltune.correct.dictionary import english_words

        vocabulary = english_words()
    words = vocabulary if isinstance(vocabulary, (set, frozenset)) else set(vocabulary)
    scores = {name: KindScore() for name in (ALL_WORDS, *ERROR_KINDS)}
    for source, expected, output in cases:
        units = align_words(source, expected, output)
        for index, unit in enumerate(units):
            for name in (ALL_WORDS, *word_kinds(units, index, words)):
                _count(scores[name], unit)
    return scores


def _count(score: KindScore, unit: AlignedWord) -> None:
    right = unit.output == unit.expected
    if _is_error(unit):
        score.errors += 1
        score.fixed += right
    if unit.output != unit.source:
        score.changes += 1
        score.right_changes += right


def _is_error(unit: AlignedWord) -> bool:
    return unit.source != unit.expected

