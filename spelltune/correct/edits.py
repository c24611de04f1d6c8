"""Word-level edit spans between a text and its correction, and applying them back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

from spelltune.correct.corrector import Edit

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Token:
    """A whitespace-separated token and its character span in the text it came from."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split on whitespace, keeping each token's span so edits can point into the original."""
    return [Token(match.group(), match.start(), match.end()) for match in _WORD.finditer(text)]


def compute_edits(source: str, target: str) -> list[Edit]:
    """The word-level edits that turn `source` into `target` (whitespace between words ignored).

    Equal-length replaced runs whose words pair up are split into one edit per word, so each can be
    accepted or refused on its own; other runs (split or merged words, "alot" -> "a lot") stay one edit.
    """
    source_tokens = tokenize(source)
    target_words = [token.text for token in tokenize(target)]
    source_words = [token.text for token in source_tokens]
    edits: list[Edit] = []
    for block in _changed_blocks(source_words, target_words):
        i1, i2, j1, j2 = block
        respaced = "".join(source_words[i1:i2]) == "".join(target_words[j1:j2])
        if not respaced and i2 - i1 == j2 - j1 and all(
            _resembles(source_words[i1 + k], target_words[j1 + k]) for k in range(i2 - i1)
        ):
            for offset in range(i2 - i1):
                token = source_tokens[i1 + offset]
                edits.append(Edit(token.start, token.end, token.text, target_words[j1 + offset]))
        else:
            edits.append(_span_edit(source, source_tokens, i1, i2, " ".join(target_words[j1:j2])))
    return edits


def _resembles(word: str, other: str) -> bool:
    """Whether two words are plausibly one word and its correction (so the pair is its own edit)."""
    return Indel.normalized_similarity(word.casefold(), other.casefold()) >= 0.5 or sorted(word) == sorted(other)


def _changed_blocks(source_words: list[str], target_words: list[str]) -> list[tuple[int, int, int, int]]:
    """Maximal runs of non-equal opcodes, as (source start, source end, target start, target end)."""
    blocks: list[tuple[int, int, int, int]] = []
    for op in Levenshtein.opcodes(source_words, target_words):
        if op.tag == "equal":
            continue
        if blocks and blocks[-1][1] == op.src_start and blocks[-1][3] == op.dest_start:
            i1, _, j1, _ = blocks[-1]
            blocks[-1] = (i1, op.src_end, j1, op.dest_end)
        else:
            blocks.append((op.src_start, op.src_end, op.dest_start, op.dest_end))
    return blocks


def _span_edit(source: str, tokens: list[Token], i1: int, i2: int, replacement: str) -> Edit:
    if i1 < i2 and replacement:
        start, end = tokens[i1].start, tokens[i2 - 1].end
        return Edit(start, end, source[start:end], replacement)
    if i1 < i2:
        # A deletion takes the whitespace after it (or before it, at the end) so no gap is left.
        start, end = tokens[i1].start, tokens[i2 - 1].end
        if i2 < len(tokens):
            end = tokens[i2].start
        elif i1 > 0:
            start = tokens[i1 - 1].end
        return Edit(start, end, source[start:end], "")
    # A pure insertion: before the next word, or after the last one.
    if i1 < len(tokens):
        position = tokens[i1].start
        return Edit(position, position, "", replacement + " ")
    if tokens:
        position = tokens[-1].end
        return Edit(position, position, "", " " + replacement)
    return Edit(0, 0, "", replacement)


def apply_edits(source: str, edits: list[Edit]) -> str:
    """`source` with each edit's span replaced. Edits may come in any order but must not overlap; insertions
    at the same place go in the order given."""
    parts, cursor = [], 0
    for edit in sorted(edits, key=lambda item: (item.start, item.end)):
        parts.append(source[cursor : edit.start])
        parts.append(edit.replacement)
        cursor = edit.end
    parts.append(source[cursor:])
    return "".join(parts)
