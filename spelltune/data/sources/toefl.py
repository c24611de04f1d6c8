"""TOEFL-Spell (Flor et al., ETS): ESL learners' misspellings as a TSV with header
`Filename OffsetSpan Misspelling Type Correction`. Type `M` is a plain misspelling; the others
(`M2`, `MWM`, ...) mark uncertain or multi-word cases and are skipped unless asked for."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spelltune.data.sources.files import malformed, read_lines
from spelltune.data.types import WordMisspelling

_HEADER = ["Filename", "OffsetSpan", "Misspelling", "Type", "Correction"]


def load_toefl_spell(
    path: Path | str, types: Iterable[str] = ("M",), source: str = "toefl-spell"
) -> list[WordMisspelling]:
    """Every (misspelling, correction) pair of the given annotation `types`, in file order."""
    wanted = set(types)
    pairs: list[WordMisspelling] = []
    for number, line in read_lines(path):
        fields = line.split("\t")
        if number == 1:
            if fields != _HEADER:
                raise malformed(path, number, f"expected the header {' '.join(_HEADER)}", line)
            continue
        if not line.strip():
            continue
        if len(fields) != len(_HEADER):
            raise malformed(path, number, f"expected {len(_HEADER)} tab-separated fields", line)
        _, _, misspelling, kind, correction = (field.strip() for field in fields)
        if not misspelling or not correction:
            raise malformed(path, number, "empty misspelling or correction", line)
        if kind in wanted and misspelling != correction:
            pairs.append(WordMisspelling(correct=correction, misspelling=misspelling, source=source))
    return pairs
