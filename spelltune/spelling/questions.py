"""Letter-count and letter-position questions, their answers, and how their words are chosen."""

from __future__ import annotations

import random
import string
from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("count", "position")


@dataclass(frozen=True)
class Question:
    """One question about one word; `answer` is an integer (count) or a single letter (position)."""

    id: str
    kind: str
    word: str
    letter: str
    position: int  # 1-based; 0 for count questions
    answer: str
    question: str
    length: int
    length_bin: str
    pieces: list[str]

    def to_row(self) -> dict[str, Any]:
        """The question as a JSONL row (`input`/`output` as the train stage reads validation pairs)."""
        return {"input": self.question, "output": self.answer, "category": self.kind, **asdict(self)}


def ordinal(number: int) -> str:
    """1 -> 1st, 2 -> 2nd, 3 -> 3rd, 11 -> 11th, 22 -> 22nd."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def count_question_text(word: str, letter: str) -> str:
    """How many 'r's are in 'strawberry'?"""
    return f"How many '{letter}'s are in '{word}'?"


def position_question_text(word: str, position: int) -> str:
    """What is the 3rd letter in 'strawberry'?"""
    return f"What is the {ordinal(position)} letter in '{word}'?"


def make_question(kind: str, word: str, rng: random.Random, absent_letter_share: float, question_id: str,
                  length_bin: str, pieces: list[str], repeated_letter_share: float = 0.5) -> Question:
    """A random question of `kind` about `word`.

    Count questions ask for an absent letter (answer 0) `absent_letter_share` of the time and, when the
    word repeats a letter, for a repeated one `repeated_letter_share` of the rest, so "1" is not the
    answer to nearly everything.
    """
    if kind == "count":
        present = sorted(set(word))
        repeated = [letter for letter in present if word.count(letter) > 1]
        absent = sorted(set(string.ascii_lowercase) - set(word))
        if absent and rng.random() < absent_letter_share:
            letter = rng.choice(absent)
        elif repeated and rng.random() < repeated_letter_share:
            letter = rng.choice(repeated)
        else:
            letter = rng.choice(present)
        return Question(question_id, kind, word, letter, 0, str(word.count(letter)),
                        count_question_text(word, letter), len(word), length_bin, pieces)
    if kind == "position":
        position = rng.randint(1, len(word))
        return Question(question_id, kind, word, word[position - 1], position, word[position - 1],
                        position_question_text(word, position), len(word), length_bin, pieces)
    raise ValueError(f"unknown question kind {kind!r}")


def bin_label(lower: int, upper: int) -> str:
    """`4-5` or `12-15`: the word lengths a bin holds."""
    return f"{lower}-{upper}"


def length_bins(lowers: list[int], max_length: int) -> list[tuple[int, int]]:
    """(lower, upper) inclusive bounds from increasing lower bounds and the longest word allowed."""
    uppers = [b - 1 for b in lowers[1:]] + [max_length]
    return list(zip(lowers, uppers))


def split_evenly(total: int, parts: int) -> list[int]:
    """`total` as `parts` near-equal integers, larger ones first: split_evenly(10, 3) -> [4, 3, 3]."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
