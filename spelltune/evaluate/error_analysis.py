"""Which kinds of error a corrector fixes and misses: each aligned error word gets one error type.

Types, checked in this order: `split/merge` (the word count differs, `alot` → `a lot`),
`case/punctuation` (only case or punctuation differ), `real-word` (the wrong word is itself an English
word: `their` → `there`, `bog` → `dog`), `transposition` (two adjacent letters swapped),
`substitution` (letters replaced), `omission` (letters missing), `insertion` (extra letters),
`multiple` (a mix). Correct words that a corrector changed are counted as `over-correction`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from spelltune.correct.dictionary import english_words
from spelltune.evaluate.alignment import align_words
from spelltune.evaluate.report import EvalReport

ERROR_TYPES = (
    "substitution",
    "omission",
    "insertion",
    "transposition",
    "real-word",
    "split/merge",
    "case/punctuation",
    "multiple",
)
OVER_CORRECTION = "over-correction"


def classify_error(source: str, expected: str, words: Iterable[str] | None = None) -> str:
    """The error type of a wrong `source` word (or words) whose correction is `expected`."""
    from rapidfuzz.distance import OSA, Levenshtein

    if len(source.split()) != len(expected.split()):
        return "split/merge"
    bare_source, bare_expected = bare_word(source), bare_word(expected)
    if bare_source == bare_expected:
        return "case/punctuation"
    vocabulary = english_words() if words is None else words
    if bare_source and bare_source in vocabulary:
        return "real-word"
    if OSA.distance(bare_source, bare_expected) == 1 and Levenshtein.distance(bare_source, bare_expected) == 2:
        return "transposition"
    kinds = {op.tag for op in Levenshtein.editops(source.lower(), expected.lower())}
    if kinds == {"replace"}:
        return "substitution"
    if kinds == {"insert"}:  # the writer left letters out
        return "omission"
    if kinds == {"delete"}:  # the writer added letters
        return "insertion"
    return "multiple"


def bare_word(text: str) -> str:
    """The word lowercased without the punctuation around it."""
    return text.strip(string.punctuation + "“”‘’").lower()


@dataclass
class ErrorTypeTally:
    """How many errors of one type there were, how many were fixed, and a few missed examples."""

    total: int = 0
    fixed: int = 0
    examples: list[dict] = field(default_factory=list)

    @property
    def fixed_rate(self) -> float:
        """Fixed / total (0 when there were none)."""
        return self.fixed / self.total if self.total else 0.0


def analyse_errors(report: EvalReport, *, examples_per_type: int = 3) -> dict[str, ErrorTypeTally]:
    """Tally every aligned error word of the report's cases by type; add over-corrections."""
    tallies = {name: ErrorTypeTally() for name in (*ERROR_TYPES, OVER_CORRECTION)}
    for case in report.cases:
        for word in align_words(case.input, case.expected, case.output):
            if word.source == word.expected:
                if word.output != word.source:
                    _count(tallies[OVER_CORRECTION], False, word, case.id, examples_per_type)
                continue
            error_type = classify_error(word.source, word.expected)
            _count(tallies[error_type], word.output == word.expected, word, case.id, examples_per_type)
    return {name: tally for name, tally in tallies.items() if tally.total}


def _count(tally: ErrorTypeTally, fixed: bool, word, case_id: str, limit: int) -> None:
    tally.total += 1
    tally.fixed += fixed
    if not fixed and len(tally.examples) < limit:
        tally.examples.append({"id": case_id, "source": word.source, "expected": word.expected, "output": word.output})
