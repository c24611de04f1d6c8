"""Fixtures of the spelling tests: the SmolLM2 tokenizer loaded once and a small dataset built once."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def smollm2_tokenizer(smollm2_tokenizer_dir):
    """The real SmolLM2 tokenizer object."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(smollm2_tokenizer_dir)


@pytest.fixture(scope="session")
def dwyl_words(shared_data) -> Path:
    """The dwyl English word list (370k words) from ../shared/data."""
    path = shared_data / "dwyl" / "words_alpha.txt"
    if not path.is_file():
        pytest.skip("dwyl/words_alpha.txt is not present")
    return path


@pytest.fixture(scope="session")
def small_config(smollm2_tokenizer_dir, dwyl_words):
    """A config for a small dataset: 600 train examples, 20 validation and 30 test questions per type."""
    from spelltune.spelling.config import SpellingConfig

    return SpellingConfig(tokenizer=str(smollm2_tokenizer_dir), words=str(dwyl_words), train_examples=600,
                          validation_per_type=20, test_per_type=30)


@pytest.fixture(scope="session")
def built_dataset(small_config, tmp_path_factory) -> Path:
    """The small dataset, built once."""
    from spelltune.spelling.build import build_spelling_dataset

    out = tmp_path_factory.mktemp("spelling-data")
    build_spelling_dataset(small_config, out)
    return out
