"""The tokenizer's own multi-character, letters-only tokens: what the train split spells.

Byte-level BPE (GPT-2, SmolLM2) marks a leading space with `Ġ`, SentencePiece with `▁`. Each token is
recorded raw (as in the vocabulary), decoded, and as a word (the decoded text without the leading space),
so ` berry` and `berry` are two tokens that spell the same word.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from spelltune.errors import DataFormatError

LEADING_SPACE_MARKERS = ("Ġ", "▁")


@dataclass(frozen=True)
class LetterToken:
    """One vocabulary entry whose decoded text is two or more ASCII letters (after an optional space)."""

    id: int
    raw: str
    word: str
    length: int
    leading_space: bool


def is_letter_word(text: str) -> bool:
    """Whether `text` is two or more ASCII letters and nothing else."""
    return len(text) >= 2 and text.isascii() and text.isalpha()


def extract_letter_tokens(tokenizer: Any) -> list[LetterToken]:
    """Every multi-character letters-only token of `tokenizer`, special and added tokens excluded, by id."""
    special = set(tokenizer.all_special_ids)
    added = set(getattr(tokenizer, "added_tokens_decoder", {}) or {})
    found = []
    for raw, token_id in sorted(tokenizer.get_vocab().items(), key=lambda item: item[1]):
        if token_id in special or token_id in added:
            continue
        text = tokenizer.decode([token_id])
        leading_space = raw.startswith(LEADING_SPACE_MARKERS) or text.startswith(" ")
        word = text[1:] if text.startswith(" ") else text
        if not is_letter_word(word):
            continue
        found.append(LetterToken(id=token_id, raw=raw, word=word, length=len(word), leading_space=leading_space))
    return found


def write_tokens(tokens: list[LetterToken], tokenizer_spec: str, path: Path) -> None:
    """Save the tokens as JSON: the tokenizer spec, a count and one object per token."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"tokenizer": tokenizer_spec, "count": len(tokens), "tokens": [asdict(t) for t in tokens]}
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_tokens(path: Path) -> list[LetterToken]:
    """The tokens a `spelltune spelling tokens` JSON file holds; DataFormatError if it is not one."""
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
        return [LetterToken(**row) for row in payload["tokens"]]
    except FileNotFoundError:
        raise DataFormatError(f"{path}: no such tokens file; write one with `spelltune spelling tokens`") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataFormatError(f"{path}: not a tokens file from `spelltune spelling tokens` ({error})") from None
