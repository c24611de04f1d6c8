"""Token extraction: SmolLM2's letters-only multi-character tokens, the leading-space marker, the JSON file."""

import pytest

from spelltune.errors import DataFormatError
from spelltune.spelling.tokens import extract_letter_tokens, is_letter_word, read_tokens, write_tokens


@pytest.fixture(scope="module")
def smollm2_tokens(smollm2_tokenizer):
    return extract_letter_tokens(smollm2_tokenizer)


def test_smollm2_has_thousands_of_letter_tokens(smollm2_tokens):
    assert len(smollm2_tokens) >= 5000


def test_no_special_or_single_character_or_non_letter_tokens(smollm2_tokens, smollm2_tokenizer):
    special = set(smollm2_tokenizer.all_special_ids)
    assert not [t for t in smollm2_tokens if t.id in special]
    assert all(t.length >= 2 and t.length == len(t.word) for t in smollm2_tokens)
    assert all(t.word.isascii() and t.word.isalpha() for t in smollm2_tokens)


def test_leading_space_is_recorded_raw_and_stripped_from_the_word(smollm2_tokens, smollm2_tokenizer):
    by_raw = {t.raw: t for t in smollm2_tokens}
    spaced, bare = by_raw["Ġthe"], by_raw["the"]
    assert spaced.word == bare.word == "the"
    assert spaced.leading_space and not bare.leading_space
    assert smollm2_tokenizer.decode([spaced.id]) == " the"
    assert all(t.raw.startswith("Ġ") == t.leading_space for t in smollm2_tokens)


def test_tokens_are_in_id_order(smollm2_tokens):
    ids = [t.id for t in smollm2_tokens]
    assert ids == sorted(ids)


def test_is_letter_word():
    assert is_letter_word("berry") and is_letter_word("Ab")
    assert not any(is_letter_word(w) for w in ("a", "", "ber ry", "naïve", "x1", " the"))


def test_tokens_file_round_trip(smollm2_tokens, tmp_path):
    path = tmp_path / "tokens.json"
    write_tokens(smollm2_tokens[:50], "smollm2", path)
    assert read_tokens(path) == smollm2_tokens[:50]


def test_bad_tokens_file_is_a_data_format_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"tokens": [{"id": 1}]}')
    with pytest.raises(DataFormatError):
        read_tokens(path)
    with pytest.raises(DataFormatError, match="no such tokens file"):
        read_tokens(tmp_path / "missing.json")
