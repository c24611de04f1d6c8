"""Property test of line splitting: the pieces a long line is cut into cover every word, in order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spelltune.correct.segment import split_into_pieces

_token = st.one_of(
    st.sampled_from(["teh", "cat.", "Mr.", "end!", "why?", "so,", "then;", "\"quoted.\"", "(x)", "a:", "…", "—"]),
    st.text(st.characters(blacklist_characters="\n"), min_size=1, max_size=6),
)
_space = st.sampled_from([" ", "  ", "\t", "\u00a0", "\x0c", "\r", "\u2028"])


@st.composite
def lines(draw) -> str:
    tokens = draw(st.lists(_token, max_size=120))
    return draw(_space) * draw(st.integers(0, 1)) + "".join(t + draw(_space) for t in tokens)


@settings(max_examples=max(10, int(settings.default.max_examples * 1.0)))
@given(lines(), st.integers(1, 50))
def test_pieces_cover_every_word_of_the_line_in_order(line, max_words):
    pieces = split_into_pieces(line, max_words)
    cursor = 0
    for piece in pieces:
        assert cursor <= piece.start < piece.end <= len(line)
        assert line[piece.start : piece.end] == piece.text
        assert len(piece.text.split()) <= max_words or len(piece.text.split()) == 1
        assert not line[cursor : piece.start].strip()  # only whitespace between pieces
        cursor = piece.end
    assert not line[cursor:].strip()
