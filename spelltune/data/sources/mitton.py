"""Roger Mitton's `.dat` misspelling files: Birkbeck, Holbrook, Aspell, Wikipedia.

A line `$word` starts a target; each line after it is one misspelling of it, optionally followed by a
count (Holbrook: `misspelling count`). `_` stands for a space (`a_lot`). A `$?` group has unknown
targets and is skipped.
"""

from __future__ import annotations

from pathlib import Path

from spelltune.data.sources.files import malformed, read_lines
from spelltune.data.types import WordMisspelling


def load_mitton_dat(path: Path | str, source: str | None = None) -> list[WordMisspelling]:
    """Every (misspelling, correct word) pair in a Mitton `.dat` file, in file order.

    `source` names the corpus in the output rows (default: `mitton-<file stem>`). Pairs whose
    misspelling equals the target are dropped.
    """
    name = source or f"mitton-{Path(path).stem}"
    pairs: list[WordMisspelling] = []
    target: str | None = None
    seen_target = False
    for number, line in read_lines(path):
        text = line.strip()
        if not text:
            continue
        if text.startswith("$"):
            word = text[1:].strip()
            if not word or " " in word:
                raise malformed(path, number, "a target line must be `$word`", line)
            seen_target = True
            target = None if word == "?" else word.replace("_", " ")
            continue
        if not seen_target:
            raise malformed(path, number, "a misspelling before any `$word` target line", line)
        fields = text.split()
        if len(fields) > 2 or (len(fields) == 2 and not fields[1].isdigit()):
            raise malformed(path, number, "expected `misspelling` or `misspelling count`", line)
        if target is None:
            continue
        misspelling = fields[0].replace("_", " ")
        if misspelling != target:
            pairs.append(WordMisspelling(correct=target, misspelling=misspelling, source=name))
    return pairs
