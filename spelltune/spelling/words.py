"""Dictionary words for the validation and test questions, and the test of whether a word qualifies.

A qualifying word is one the model never saw spelled: the tokenizer splits it (as it appears inside
quotes in a question, with no leading space) into two or more tokens, at least one of them a
multi-character letters-only token, and no token of the train split spells it (in any letter case).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path
from typing import Any

from spelltune.errors import InputError
from spelltune.spelling.config import EMBEDDED_WORDS
from spelltune.spelling.tokens import is_letter_word


def _embedded_word_list() -> list[str]:
    spec = importlib.util.find_spec("spellchecker")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("the embedded word list needs pyspellchecker: `pip install pyspellchecker`, or pass --words FILE")
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "en.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return list(json.load(handle))


def load_words(source: str) -> list[str]:
    """Sorted distinct lowercase ASCII words from a word list file (one a line) or the embedded list."""
    if source == EMBEDDED_WORDS:
        raw = _embedded_word_list()
    else:
        path = Path(source).expanduser()
        try:
            raw = path.read_text(encoding="utf-8", errors="replace").split()
        except OSError as error:
            raise InputError(f"cannot read word list {source}: {error.strerror or error}") from None
    words = sorted({w for w in raw if is_letter_word(w) and w.islower()})
    if not words:
        raise InputError(f"word list {source} holds no lowercase letters-only words")
    return words


def word_pieces(tokenizer: Any, word: str) -> list[str]:
    """The decoded tokens of `word` as it appears in a question (inside quotes, no leading space)."""
    ids = tokenizer(word, add_special_tokens=False).input_ids
    return [tokenizer.decode([i]) for i in ids]


def is_held_out_word(pieces: list[str]) -> bool:
    """Two or more tokens, at least one of them multi-character letters only."""
    return len(pieces) >= 2 and any(is_letter_word(p) for p in pieces)
