"""Loaders: each reads a real file in ../shared/data, and names the file and line of a bad line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spelltune.data.sources import (
    load_clean_sentences,
    load_codespell_dictionary,
    load_embedded_sentences,
    load_hf_sentences,
    load_mitton_dat,
    load_norvig_testset,
    load_toefl_spell,
    split_into_sentences,
)
from spelltune.errors import DataFormatError, InputError


def _pairs(loaded):
    return {(p.misspelling, p.correct) for p in loaded}


def test_birkbeck_dat_reads_every_misspelling(shared_data: Path) -> None:
    pairs = load_mitton_dat(shared_data / "mitton" / "missp.dat")
    assert len(pairs) > 35_000
    assert ("Ameraca", "America") in _pairs(pairs)
    assert all(p.source == "mitton-missp" for p in pairs)
    assert any(p.correct == "a lot" for p in pairs)  # `_` stands for a space


def test_holbrook_dat_drops_counts_and_unknown_targets(shared_data: Path) -> None:
    pairs = load_mitton_dat(shared_data / "mitton" / "holbrook-missp.dat", source="holbrook")
    assert 1_500 < len(pairs) < 1_791  # the `$?` group is skipped
    assert not any(p.misspelling.split()[-1].isdigit() for p in pairs)
    assert "Consulatoin" not in {p.misspelling for p in pairs}


@pytest.mark.parametrize("name", ["aspell.dat", "wikipedia.dat"])
def test_aspell_and_wikipedia_dat(shared_data: Path, name: str) -> None:
    pairs = load_mitton_dat(shared_data / "mitton" / name)
    assert len(pairs) > 400
    assert all(p.misspelling != p.correct for p in pairs)


@pytest.mark.parametrize("name", ["spell-testset1.txt", "spell-testset2.txt"])
def test_norvig_testsets(shared_data: Path, name: str) -> None:
    pairs = load_norvig_testset(shared_data / "norvig" / name)
    assert len(pairs) >= 270
    if name == "spell-testset1.txt":
        assert ("contenpted", "contented") in _pairs(pairs)


def test_toefl_spell_keeps_plain_misspellings(shared_data: Path) -> None:
    pairs = load_toefl_spell(shared_data / "toefl-spell" / "Annotations.tsv")
    assert len(pairs) > 5_000
    assert ("beacuse", "because") in _pairs(pairs)
    everything = load_toefl_spell(shared_data / "toefl-spell" / "Annotations.tsv", types=("M", "M2", "MWM"))
    assert len(everything) > len(pairs)


def test_big_txt_as_clean_sentences(shared_data: Path) -> None:
    sentences = load_clean_sentences(shared_data / "norvig" / "big.txt")
    assert len(sentences) > 20_000
    for sentence in sentences[:2000]:
        assert sentence.text[-1] in ".!?\"')" and "\n" not in sentence.text and "  " not in sentence.text


@pytest.mark.parametrize("folder", ["realistic-wiki", "realistic-books"])
def test_realistic_correct_txt_as_clean_sentences(shared_data: Path, folder: str) -> None:
    sentences = load_clean_sentences(shared_data / folder / "correct.txt")
    assert len(sentences) > 5_000
    assert all(len(s.text.split()) >= 3 and s.text.lstrip('"\'\u201c')[:1].isalnum() for s in sentences[:3000])


def test_codespell_dictionary_is_installed_and_unambiguous() -> None:
    pairs = load_codespell_dictionary()
    assert len(pairs) > 50_000
    found = _pairs(pairs)
    assert ("aaccess", "access") in found
    assert not any("," in p.correct for p in pairs)


def test_embedded_corpus_has_homophone_and_contraction_contexts() -> None:
    sentences = load_embedded_sentences()
    assert len(sentences) > 5_000
    text = " ".join(s.text for s in sentences).lower()
    for word in ("their", "there", "they're", "your", "you're", "its", "it's", "then", "than", "don't", "i'm"):
        assert f" {word} " in f" {text} "


def test_split_into_sentences_cuts_at_end_punctuation() -> None:
    text = 'The night was very late.  We all went home!\nDid you see it? No way. "He said it was fine.'
    assert split_into_sentences(text) == [
        "The night was very late.",
        "We all went home!",
        "Did you see it?",
        "He said it was fine.",
    ]


def test_jsonl_and_folder_sources(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "The cat sat on the mat."}) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("We went to the park today.\n\nShe read a good book.\n", encoding="utf-8")
    sentences = load_clean_sentences(tmp_path)
    assert [s.text for s in sentences] == ["The cat sat on the mat.", "We went to the park today.", "She read a good book."]


def test_saved_datasets_dataset(tmp_path: Path) -> None:
    import datasets

    datasets.Dataset.from_dict({"text": ["The cat sat on the mat.", "We went home early."]}).save_to_disk(
        str(tmp_path / "ds")
    )
    sentences = load_hf_sentences(str(tmp_path / "ds"), from_disk=True)
    assert [s.text for s in sentences] == ["The cat sat on the mat.", "We went home early."]
    with pytest.raises(DataFormatError, match="no column 'sentence'"):
        load_hf_sentences(str(tmp_path / "ds"), column="sentence", from_disk=True)


@pytest.mark.parametrize(
    ("loader", "content", "line"),
    [
        (load_mitton_dat, "$word\nwrod\nwodr 1 2\n", 3),
        (load_mitton_dat, "wrod\n$word\n", 1),
        (load_mitton_dat, "$word\nwrod x\n", 2),
        (load_norvig_testset, "word: wrod\nno colon here\n", 2),
        (load_toefl_spell, "Filename\tOffsetSpan\tMisspelling\tType\tCorrection\n1\t1-2\twrod\tM\n", 2),
        (load_toefl_spell, "not the header\n", 1),
        (load_codespell_dictionary, "wrod->word\nnoarrow\n", 2),
    ],
)
def test_malformed_line_names_file_and_line(tmp_path: Path, loader, content: str, line: int) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFormatError, match=rf"bad\.txt:{line}:"):
        loader(path)


def test_malformed_jsonl_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "The cat sat on the mat."}\n{"text": oops}\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad\.jsonl:2:"):
        load_clean_sentences(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.dat"):
        load_mitton_dat(tmp_path / "nope.dat")
