"""Split a line into pieces small enough for the model, keeping every character between them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! or ? (plus closing quotes or brackets) followed by whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Piece:
    """Characters `start:end` of a line, corrected as one unit."""

    text: str
    start: int
    end: int


def _spans(text: str, boundary: re.Pattern[str], offset: int) -> list[Piece]:
    pieces, cursor = [], 0
    for match in boundary.finditer(text):
        # Closing quotes and brackets after the full stop stay with their sentence; only spaces are left out.
        piece_end = match.start() + len(match.group()) - len(match.group().lstrip("\"'”’)]"))
        if text[cursor:piece_end].strip():
            pieces.append(Piece(text[cursor:piece_end], offset + cursor, offset + piece_end))
        cursor = match.end()
    if text[cursor:].strip():
        pieces.append(Piece(text[cursor:], offset + cursor, offset + len(text)))
    return pieces


def _word_chunks(piece: Piece, max_words: int) -> list[Piece]:
    words = list(re.finditer(r"\S+", piece.text))
    chunks = []
    for first in range(0, len(words), max_words):
        group = words[first : first + max_words]
        start, end = group[0].start(), group[-1].end()
        chunks.append(Piece(piece.text[start:end], piece.start + start, piece.start + end))
    return chunks


def _words_in(text: str) -> int:
    return len(text.split())


def split_into_pieces(line: str, max_words: int = 40) -> list[Piece]:
    """Pieces of at most `max_words` words covering every word of `line`, in order.

    Short lines stay whole. Longer ones are cut at sentence ends, then at clause ends, then every
    `max_words` words; neighbouring short sentences are packed back together to keep context.
    """
    stripped = line.strip()
    if not stripped:
        return []
    start = line.index(stripped[0])
    whole = Piece(stripped, start, start + len(stripped))
    if _words_in(stripped) <= max_words:
        return [whole]
    small: list[Piece] = []
    for sentence in _spans(stripped, _SENTENCE_END, start):
        if _words_in(sentence.text) <= max_words:
            small.append(sentence)
            continue
        for clause in _spans(sentence.text, _CLAUSE_END, sentence.start):
            small.extend([clause] if _words_in(clause.text) <= max_words else _word_chunks(clause, max_words))
    return _pack(line, small, max_words)


def _pack(line: str, pieces: list[Piece], max_words: int) -> list[Piece]:
    packed: list[Piece] = []
    for piece in pieces:
        if packed and _words_in(packed[-1].text) + _words_in(piece.text) <= max_words:
            merged_start = packed[-1].start
            packed[-1] = Piece(line[merged_start : piece.end], merged_start, piece.end)
        else:
            packed.append(piece)
    return packed


def needs_model(text: str, max_token_chars: int = 64) -> bool:
    """Whether a piece has anything to correct: some letters, and not one giant unbroken token."""
    if not _LETTER.search(text):
        return False
    return not (len(text.split()) == 1 and len(text) > max_token_chars)
