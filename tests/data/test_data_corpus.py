"""The embedded corpus is exactly what its generator writes, and reads as clean sentences."""

from __future__ import annotations

import pytest

from spelltune.data.corpus.generate_everyday import CORPUS_FILE, generate_sentences
from spelltune.data.sources.sentences import is_clean_sentence


def test_shipped_corpus_matches_its_generator() -> None:
    shipped = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    assert shipped == generate_sentences()
    assert len(shipped) == len(set(shipped)) > 5_000


def test_corpus_sentences_pass_the_clean_sentence_filter() -> None:
    shipped = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    rejected = [s for s in shipped if not is_clean_sentence(s)]
    assert len(rejected) < 0.05 * len(shipped), rejected[:5]


def test_a_clauses_yaml_entry_that_yaml_reads_as_no_string_is_an_error(tmp_path, monkeypatch) -> None:
    from spelltune.data.corpus import clauses

    (tmp_path / "clauses.yaml").write_text("clauses: [no]\nstandalone: []\nopeners: []\nconnectors: []\n")
    monkeypatch.setattr(clauses, "files", lambda package: tmp_path)
    clauses.building_blocks.cache_clear()
    try:
        with pytest.raises(ValueError, match="clauses must be a list of strings"):
            clauses.building_blocks()
    finally:
        clauses.building_blocks.cache_clear()
