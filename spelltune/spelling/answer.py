"""Read the answer out of a generation: an integer for count questions, one letter for position ones."""

from __future__ import annotations

import re

_NUMBER_WORDS = {
    "zero": 0, "none": 0, "no": 0, "one": 1, "once": 1, "two": 2, "twice": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_INTEGER = re.compile(r"(?<![\w.])-?\d+(?![\d])")
_WORD = re.compile(r"[A-Za-z]+")
_THINK_BLOCK = re.compile(r"<think>.*?(</think>|$)", flags=re.DOTALL)
_QUOTED_LETTER = re.compile(r"""['"‘“`*]([A-Za-z])['"’”`*]""")
_LETTER_IS = re.compile(r"\bletter\b[^.?!]*?\bis\s+['\"‘“*]?([A-Za-z])\b", flags=re.IGNORECASE)
_LONE_LETTER = re.compile(r"(?<![A-Za-z'])([A-Za-z])(?![A-Za-z'])")


def _answer_text(generated: str) -> str:
    text = _THINK_BLOCK.sub("", generated).strip()
    return text.splitlines()[0].strip() if text else ""


def parse_count(generated: str) -> int | None:
    """The first integer (digits, or a number word such as "three"/"twice") in the answer's first line."""
    text = _answer_text(generated)
    digits = _INTEGER.search(text)
    words = [(m.start(), _NUMBER_WORDS[m.group().lower()]) for m in _WORD.finditer(text)
             if m.group().lower() in _NUMBER_WORDS]
    if digits and (not words or digits.start() < words[0][0]):
        return int(digits.group())
    return words[0][1] if words else None


def parse_letter(generated: str) -> str | None:
    """The one letter the answer names, lowercased: `r`, `'R'`, `The 3rd letter is "r".` -> `r`."""
    text = _answer_text(generated).rstrip(".!")
    if len(text) == 1 and text.isalpha():
        return text.lower()
    for pattern in (_QUOTED_LETTER, _LETTER_IS):
        found = pattern.search(text)
        if found:
            return found.group(1).lower()
    lone = [m.group(1) for m in _LONE_LETTER.finditer(text) if m.group(1) not in ("a", "I")]
    return lone[0].lower() if lone else None


def parse_spelling(generated: str) -> str:
    """The letters of a spelled-out word (`b-e-r-r-y`, `B E R R Y`), lowercased, separators dropped."""
    return "".join(ch for ch in _answer_text(generated).lower() if "a" <= ch <= "z")
