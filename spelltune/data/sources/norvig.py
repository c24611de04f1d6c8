"""Peter Norvig's spelling test sets: one line `correct: missp1 missp2 ...` per word."""

from __future__ import annotations

from pathlib import Path

from spelltune.data.sources.files import malformed, read_lines
from spelltune.data.types import WordMisspelling


def load_norvig_testset(path: Path | str, source: str | None = None) -> list[WordMisspelling]:
    """Every (misspelling, correct word) pair in a Norvig test-set file, in file order."""
    name = source or f"norvig-{Path(path).stem}"
    pairs: list[WordMisspelling] = []
    for number, line in read_lines(path):
        if not line.strip():
            continue
        correct, colon, rest = line.partition(":")
        correct = correct.strip()
        if not colon or not correct or " " in correct or not rest.split():
            raise malformed(path, number, "expected `correct: misspelling ...`", line)
        pairs.extend(
            WordMisspelling(correct=correct, misspelling=m, source=name) for m in rest.split() if m != correct
        )
    return pairs
