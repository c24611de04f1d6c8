"""Corrupting a whole sentence: pick words, apply error types from the corruption functions."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from spelltune.data.corruption.case import add_case_noise
from spelltune.data.corruption.dyslexic import reverse_dyslexic_letters
from spelltune.data.corruption.keyboard import insert_neighbour_key, substitute_adjacent_key
from spelltune.data.corruption.letters import delete_letter, double_letter, transpose_letters
from spelltune.data.corruption.misspellings import substitute_real_misspelling
from spelltune.data.corruption.real_words import drop_apostrophe, swap_homophone, swap_real_word_error
from spelltune.data.corruption.spacing import merge_words, split_word
from spelltune.data.words import WORD

WORD_SPLIT = re.compile(f"({WORD.pattern})")  # split() keeps the words at odd indices

WordCorruption = Callable[[str, random.Random], "str | None"]

# error type -> function, grouped by the category a sentence is made for.
TYPO_ERRORS: dict[str, WordCorruption] = {
    "adjacent_key": substitute_adjacent_key,
    "neighbour_key_insertion": insert_neighbour_key,
    "deletion": delete_letter,
    "doubling": double_letter,
    "transposition": transpose_letters,
}
SINGLE_ERRORS: dict[str, dict[str, WordCorruption]] = {
    "typo": TYPO_ERRORS,
    "homophone": {"homophone": swap_homophone},
    "real_word": {"real_word_error": swap_real_word_error},
    "contraction": {"missing_apostrophe": drop_apostrophe},
    "dyslexic": {"dyslexic_reversal": reverse_dyslexic_letters},
    "split_merge": {"split_word": split_word},  # merged_words is handled apart: it takes two words
    "case": {"case_noise": add_case_noise},
}
ERROR_TYPES: tuple[str, ...] = (
    *TYPO_ERRORS,
    "split_word",
    "merged_words",
    "homophone",
    "real_word_error",
    "missing_apostrophe",
    "dyslexic_reversal",
    "real_misspelling",
    "case_noise",
)
# Where extra errors in a sentence come from when not from the sentence's own category.
BACKGROUND_MIX: tuple[tuple[str, float], ...] = (
    ("typo", 0.45),
    ("real_misspelling", 0.2),
    ("homophone", 0.1),
    ("real_word", 0.05),
    ("split_merge", 0.1),
    ("contraction", 0.08),
    ("dyslexic", 0.07),
)


@dataclass
class CorruptedSentence:
    """The corrupted text, the error types applied and the human corpora the errors came from."""

    text: str
    error_types: list[str] = field(default_factory=list)
    human_sources: set[str] = field(default_factory=set)
    corrupted_words: list[str] = field(default_factory=list)
    error_count: int = 0


def _is_name_like(word: str, index: int, first_word_index: int) -> bool:
    if index == first_word_index or word == "I" or word.startswith(("I'", "I\u2019")):
        return False
    return word[:1].isupper()


class _Sentence:
    def __init__(self, text: str) -> None:
        self.parts = WORD_SPLIT.split(text)  # odd indices are words, even ones what lies between
        self.word_indices = list(range(1, len(self.parts), 2))
        self.touched: set[int] = set()

    def free_words(self, protected: frozenset[str], allow_names: bool) -> list[int]:
        first = self.word_indices[0] if self.word_indices else -1
        return [
            i
            for i in self.word_indices
            if i not in self.touched
            and self.parts[i].lower() not in protected
            and (allow_names or not _is_name_like(self.parts[i], i, first))
        ]

    def text(self) -> str:
        return "".join(self.parts)


def _apply_single(
    sentence: _Sentence,
    category: str,
    rng: random.Random,
    misspellings: Mapping[str, Sequence[str]],
    misspelling_sources: Mapping[tuple[str, str], str],
    protected: frozenset[str],
    result: CorruptedSentence,
) -> bool:
    """Apply one error of `category` to one free word; False when no word accepts it."""
    candidates = sentence.free_words(protected, allow_names=category == "case")
    rng.shuffle(candidates)
    if category == "split_merge" and rng.random() < 0.5 and _apply_merge(sentence, rng, protected, result):
        return True
    for index in candidates:
        word = sentence.parts[index]
        if category == "real_misspelling":
            new = substitute_real_misspelling(word, misspellings, rng)
            error_type = "real_misspelling"
            if new is not None:
                result.human_sources.add(misspelling_sources.get((word.lower(), new.lower()), "unknown"))
        else:
            if category in ("typo", "dyslexic", "split_merge") and not word.isalpha():
                continue
            options = sorted(SINGLE_ERRORS[category])
            error_type = rng.choice(options)
            new = SINGLE_ERRORS[category][error_type](word, rng)
            if new is None and len(options) > 1:
                for error_type in options:
                    new = SINGLE_ERRORS[category][error_type](word, rng)
                    if new is not None and new != word:
                        break
        if new is not None and new != word:
            sentence.parts[index] = new
            sentence.touched.add(index)
            result.error_types.append(error_type)
            result.corrupted_words.append(word)
            result.error_count += 1
            return True
    if category == "split_merge":
        return _apply_merge(sentence, rng, protected, result)
    return False


def _apply_merge(sentence: _Sentence, rng: random.Random, protected: frozenset[str], result: CorruptedSentence) -> bool:
    free = set(sentence.free_words(protected, allow_names=False))
    pairs = [
        i
        for i in sentence.word_indices
        if i in free and i + 2 in free and sentence.parts[i + 1] == " "
    ]
    rng.shuffle(pairs)
    for i in pairs:
        merged = merge_words(sentence.parts[i], sentence.parts[i + 2], rng)
        if merged is not None:
            result.corrupted_words.extend([sentence.parts[i], sentence.parts[i + 2]])
            sentence.parts[i], sentence.parts[i + 1], sentence.parts[i + 2] = merged, "", ""
            sentence.touched |= {i, i + 2}
            result.error_types.append("merged_words")
            result.error_count += 1
            return True
    return False


def _background_category(rng: random.Random) -> str:
    roll = rng.random() * sum(w for _, w in BACKGROUND_MIX)
    for name, weight in BACKGROUND_MIX:
        roll -= weight
        if roll < 0:
            return name
    return BACKGROUND_MIX[-1][0]


def corrupt_sentence(
    text: str,
    category: str,
    error_count: int,
    rng: random.Random,
    misspellings: Mapping[str, Sequence[str]] | None = None,
    misspelling_sources: Mapping[tuple[str, str], str] | None = None,
    protected_words: frozenset[str] = frozenset(),
    same_category_share: float = 0.5,
) -> CorruptedSentence | None:
    """`text` with up to `error_count` word errors, the first always of `category`'s kind; the rest
    are of the same kind with probability `same_category_share`, else drawn from a background mix.

    Capitalised words inside the sentence (names) are never misspelled, only case-noised; words in
    `protected_words` (lowercase) are never touched. Returns None when the first error cannot apply.
    """
    misspellings = misspellings or {}
    misspelling_sources = misspelling_sources or {}
    sentence = _Sentence(text)
    result = CorruptedSentence(text)
    if not _apply_single(sentence, category, rng, misspellings, misspelling_sources, protected_words, result):
        return None
    for _ in range(error_count - 1):
        if category == "case" or rng.random() < same_category_share:
            extra = category
        else:
            extra = _background_category(rng)
        if not _apply_single(sentence, extra, rng, misspellings, misspelling_sources, protected_words, result):
            _apply_single(sentence, "typo", rng, misspellings, misspelling_sources, protected_words, result)
    result.text = sentence.text()
    result.error_types = sorted(set(result.error_types))
    return result if result.text != text else None
