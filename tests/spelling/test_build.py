"""The built dataset: held-out words, balanced kinds and lengths, the train stage's row shape, determinism."""

import json
from collections import Counter

import pytest

from spelltune.errors import InputError
from spelltune.spelling.build import build_spelling_dataset
from spelltune.spelling.prompt import FEW_SHOT_WORDS
from spelltune.spelling.tokens import extract_letter_tokens
from spelltune.spelling.words import is_held_out_word, word_pieces


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_no_validation_or_test_word_is_spelled_in_train(built_dataset, smollm2_tokenizer):
    every_token_word = {t.word.lower() for t in extract_letter_tokens(smollm2_tokenizer)}
    train_words = {r["word"].lower() for r in _rows(built_dataset / "train.jsonl")}
    validation = {r["word"] for r in _rows(built_dataset / "validation.jsonl")}
    test = {r["word"] for r in _rows(built_dataset / "test.jsonl")}
    assert not (validation | test) & (train_words | every_token_word | FEW_SHOT_WORDS)
    assert not validation & test


def test_question_words_split_into_tokens_with_a_multi_letter_piece(built_dataset, smollm2_tokenizer):
    for row in _rows(built_dataset / "test.jsonl"):
        assert row["pieces"] == word_pieces(smollm2_tokenizer, row["word"])
        assert is_held_out_word(row["pieces"])


def test_question_kinds_balanced_and_lengths_stratified(built_dataset):
    for split, per_type in (("validation", 20), ("test", 30)):
        rows = _rows(built_dataset / f"{split}.jsonl")
        assert Counter(r["kind"] for r in rows) == {"count": per_type, "position": per_type}
        by_bin = Counter(r["length_bin"] for r in rows)
        assert set(by_bin) == {"4-5", "6-7", "8-9", "10-11", "12-15"}
        assert max(by_bin.values()) - min(by_bin.values()) <= 1
        # Any prefix is balanced too: the eval takes the first N of each kind.
        first = rows[:10]
        assert Counter(r["kind"] for r in first) == {"count": 5, "position": 5}


def test_rows_have_the_train_stage_shape(built_dataset):
    for name in ("train.jsonl", "validation.jsonl"):
        for row in _rows(built_dataset / name):
            assert isinstance(row["input"], str) and isinstance(row["output"], str) and row["output"]
            assert row["prompt"].endswith("<|im_start|>assistant\n")
            assert row["completion"] == row["output"] + "<|im_end|>"


def test_same_config_gives_byte_identical_files(built_dataset, small_config, tmp_path):
    build_spelling_dataset(small_config, tmp_path)
    for name in ("train.jsonl", "validation.jsonl", "test.jsonl", "manifest.json"):
        assert (tmp_path / name).read_bytes() == (built_dataset / name).read_bytes(), name


def test_another_seed_gives_other_questions(small_config, built_dataset, tmp_path):
    from dataclasses import replace

    build_spelling_dataset(replace(small_config, seed=1, train_examples=10), tmp_path)
    assert (tmp_path / "test.jsonl").read_bytes() != (built_dataset / "test.jsonl").read_bytes()


def test_too_small_a_word_list_is_an_input_error(small_config, tmp_path):
    from dataclasses import replace

    words = tmp_path / "words.txt"
    words.write_text("strawberry\nmarci\n")
    with pytest.raises(InputError, match="usable words"):
        build_spelling_dataset(replace(small_config, words=str(words), train_examples=10), tmp_path / "out")
