"""`check_dataset`: prove a built dataset has no leakage between its splits."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from spelltune.data.splits import SPLITS, sentence_key
from spelltune.data.words import WORD
from spelltune.errors import DataFormatError, InputError
from spelltune.jsonl import read_jsonl_objects

REQUIRED_KEYS = ("input", "output", "category", "source", "error_types")


@dataclass
class LeakageReport:
    """Sentence overlaps between splits and train pairs that correct a held-out word."""

    rows_by_split: dict[str, int] = field(default_factory=dict)
    overlaps: dict[str, int] = field(default_factory=dict)  # "train/test" -> shared sentences
    overlap_examples: list[str] = field(default_factory=list)
    heldout_words: int = 0
    heldout_leaks: int = 0
    heldout_examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no sentence is shared and no held-out word is corrected in train."""
        return not any(self.overlaps.values()) and self.heldout_leaks == 0


def read_split_rows(path: Path) -> list[dict[str, object]]:
    """The rows of one split file; a row that is not a JSON object with the five keys is an error."""
    rows = []
    for number, row in read_jsonl_objects(path):
        if any(key not in row for key in REQUIRED_KEYS):
            raise DataFormatError(f"{path}:{number}: expected an object with keys {', '.join(REQUIRED_KEYS)}")
        if not isinstance(row["input"], str) or not isinstance(row["output"], str):
            raise DataFormatError(f"{path}:{number}: input and output must be strings")
        rows.append(row)
    return rows


def corrected_words(source: str, target: str) -> set[str]:
    """The lowercase words of `target` that the correction changed: a word is unchanged only when
    it and the characters around it sit in one matching stretch of a character alignment, so
    splits (`sen tence`) and merges (`infront`) count as changes too."""
    a, b = source.lower(), target.lower()
    if a == b:
        return set()
    block_of: list[int | None] = [None] * len(b)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for block, (_, j, size) in enumerate(matcher.get_matching_blocks()):
        for k in range(j, j + size):
            block_of[k] = block
    changed: set[str] = set()
    for match in WORD.finditer(b):
        start, end = max(match.start() - 1, 0), min(match.end() + 1, len(b))
        blocks = {block_of[k] for k in range(start, end)}
        if len(blocks) != 1 or None in blocks:
            changed.add(match.group())
    return changed


def check_dataset(data_dir: Path | str) -> LeakageReport:
    """Compare the splits in `data_dir`: clean sentences (outputs, casefolded) shared between any two
    splits, and train pairs whose correction touches a word in heldout_words.txt."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(f"{data_dir}: no such dataset folder")
    report = LeakageReport()
    keys: dict[str, set[str]] = {}
    rows_by_split = {}
    for split in SPLITS:
        path = data_dir / f"{split}.jsonl"
        if not path.is_file():
            raise InputError(f"{path}: missing; a dataset folder holds train/validation/test.jsonl")
        rows_by_split[split] = read_split_rows(path)
        report.rows_by_split[split] = len(rows_by_split[split])
        keys[split] = {sentence_key(str(r["output"])) for r in rows_by_split[split]}
    for i, first in enumerate(SPLITS):
        for second in SPLITS[i + 1 :]:
            shared = sorted(keys[first] & keys[second])
            report.overlaps[f"{first}/{second}"] = len(shared)
            report.overlap_examples += [f"{first}/{second}: {s}" for s in shared[:3]]
    heldout_path = data_dir / "heldout_words.txt"
    if heldout_path.is_file():
        heldout = {w.strip().lower() for w in heldout_path.read_text(encoding="utf-8").splitlines() if w.strip()}
        report.heldout_words = len(heldout)
        for row in rows_by_split["train"]:
            leaked = corrected_words(str(row["input"]), str(row["output"])) & heldout
            if leaked:
                report.heldout_leaks += 1
                if len(report.heldout_examples) < 5:
                    report.heldout_examples.append(f"{', '.join(sorted(leaked))}: {row['input']}")
    return report
