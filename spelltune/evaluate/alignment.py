"""Word alignment of a source sentence, its expected correction and a corrector's output.

When all three have the same number of words, word i of each is aligned with word i of the others
(NeuSpell's word-level evaluation, which its benchmarks are built for). When the counts differ, each
of expected and output is aligned to the source with a word-level Levenshtein alignment; a run of
changed words (a split, a merge, a dropped or added word) becomes one unit, so a merge of two words
counts once, and units from both alignments that overlap are joined.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein


@dataclass(frozen=True)
class AlignedWord:
    """One aligned unit: usually one word, a few words where a split, merge or insertion happened."""

    source: str
    expected: str
    output: str


def align_words(source: str, expected: str, output: str) -> list[AlignedWord]:
    """Align the words (whitespace-separated tokens) of source, expected and output."""
    source_words, expected_words, output_words = source.split(), expected.split(), output.split()
    if len(source_words) == len(expected_words) == len(output_words):
        return [AlignedWord(*words) for words in zip(source_words, expected_words, output_words)]
    if not source_words:
        return [AlignedWord("", " ".join(expected_words), " ".join(output_words))]

    expected_projection, expected_runs = _project(source_words, expected_words)
    output_projection, output_runs = _project(source_words, output_words)
    units: list[AlignedWord] = []
    for start, end in _merge_runs(len(source_words), expected_runs + output_runs):
        units.append(
            AlignedWord(
                source=" ".join(source_words[start:end]),
                expected=" ".join(word for words in expected_projection[start:end] for word in words),
                output=" ".join(word for words in output_projection[start:end] for word in words),
            )
        )
    return units


def _project(source: list[str], target: list[str]) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """The target words each source word became, and the source ranges of runs of changed words."""
    projection: list[list[str]] = [[] for _ in source]
    if len(source) == len(target):
        for index, word in enumerate(target):
            projection[index].append(word)
        return projection, []
    runs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in _blocks(source, target):
        if tag == "equal":
            for offset in range(i2 - i1):
                projection[i1 + offset].append(target[j1 + offset])
            continue
        # A pure insertion belongs to the word before it (or to the first word, at the start).
        start = i1 if i2 > i1 else max(i1 - 1, 0)
        end = max(i2, start + 1)
        projection[start].extend(target[j1:j2])
        if runs and runs[-1][1] > start:
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    return projection, runs


def _blocks(source: list[str], target: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Levenshtein opcodes with each run of consecutive changes joined into one "change" block."""
    blocks: list[tuple[str, int, int, int, int]] = []
    for opcode in Levenshtein.opcodes(source, target):
        tag = "equal" if opcode.tag == "equal" else "change"
        if blocks and blocks[-1][0] == tag == "change":
            _, i1, _, j1, _ = blocks[-1]
            blocks[-1] = (tag, i1, opcode.src_end, j1, opcode.dest_end)
        else:
            blocks.append((tag, opcode.src_start, opcode.src_end, opcode.dest_start, opcode.dest_end))
    return blocks


def _merge_runs(length: int, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cover 0..length with units: the overlapping runs merged, every other word on its own."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    units: list[tuple[int, int]] = []
    cursor = 0
    for start, end in merged:
        units.extend((index, index + 1) for index in range(cursor, start))
        units.append((start, end))
        cursor = end
    units.extend((index, index + 1) for index in range(cursor, length))
    return units
