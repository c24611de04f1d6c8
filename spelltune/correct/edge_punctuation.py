"""The punctuation that can stand around a word (quotes, brackets, sentence marks), and stripping it."""

from __future__ import annotations

EDGE_PUNCTUATION = "\"'“”‘’([{<.,;:!?)]}>…"


def strip_edge_punctuation(token: str) -> str:
    """The token without the quotes, brackets and sentence punctuation around it."""
    return token.strip(EDGE_PUNCTUATION)
