"""The control dataset: as many rows and tokens as the spelling data, and no spelling in them."""

from __future__ import annotations

import json
import re

import pytest

from spelltune.errors import InputError
from spelltune.spelling.control import build_control_dataset

# Three or more single letters in a row, joined by any separator the spelling templates use.
SPELLED_OUT = re.compile(r"\b[a-zA-Z]\b(?:(?:\s*(?:,|-|\.|->)\s*|\s+)[a-zA-Z]\b){2,}")


@pytest.fixture(scope="module")
def control_dir(tiny_spelling_data, tiny_model_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("control")
    build_control_dataset(tiny_spelling_data, out, str(tiny_model_dir), seed=0)
    return out


def _rows(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_spelling_rows_themselves_would_fail_the_check(tiny_spelling_data):
    spelled = [r for r in _rows(tiny_spelling_data / "train.jsonl") if SPELLED_OUT.search(r["input"] + " " + r["output"])]
    assert len(spelled) > 0.5 * 64  # the pattern finds spelling where there is some


def test_control_rows_hold_no_spelling(control_dir, tiny_spelling_data):
    rows = _rows(control_dir / "train.jsonl")
    spelling_words = {r["word"].lower() for r in _rows(tiny_spelling_data / "train.jsonl")}
    for row in rows:
        text = row["input"] + " " + row["output"]
        assert not SPELLED_OUT.search(text), row
        assert not re.search(r"spell|letter", text, re.IGNORECASE), row
        assert row["completion"].startswith(row["output"])
    answers = {r["output"].lower() for r in rows}
    assert not answers & spelling_words  # no answer is a bare word as a spelling-first row would give


def test_same_number_of_rows_and_matched_token_lengths(control_dir, tiny_spelling_data, smollm2_tokenizer):
    control, spelling = _rows(control_dir / "train.jsonl"), _rows(tiny_spelling_data / "train.jsonl")
    assert len(control) == len(spelling)

    def tokens(text):
        return len(smollm2_tokenizer(text, add_special_tokens=False).input_ids)

    for mine, theirs in zip(control, spelling):
        assert tokens(mine["output"]) >= tokens(theirs["output"])  # at least as long, row by row
    total_control = sum(tokens(r["output"]) for r in control)
    total_spelling = sum(tokens(r["output"]) for r in spelling)
    assert total_spelling <= total_control <= 1.25 * total_spelling
    assert (control_dir / "validation.jsonl").read_bytes() == (tiny_spelling_data / "validation.jsonl").read_bytes()


def test_same_seed_same_bytes(control_dir, tiny_spelling_data, tiny_model_dir, tmp_path):
    again = tmp_path / "again"
    build_control_dataset(tiny_spelling_data, again, str(tiny_model_dir), seed=0)
    assert (again / "train.jsonl").read_bytes() == (control_dir / "train.jsonl").read_bytes()


def test_a_folder_without_spelling_data_is_an_input_error(tmp_path, tiny_model_dir):
    with pytest.raises(InputError, match="spelltune spelling build"):
        build_control_dataset(tmp_path, tmp_path / "out", str(tiny_model_dir))


@pytest.fixture(scope="module")
def mismatched_dir(tiny_spelling_data, tiny_model_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("mismatched")
    build_control_dataset(tiny_spelling_data, out, str(tiny_model_dir), seed=0, kind="mismatched")
    return out


def test_mismatched_rows_keep_each_prompt_and_template_but_answer_about_another_word(mismatched_dir,
                                                                                      tiny_spelling_data):
    control, spelling = _rows(mismatched_dir / "train.jsonl"), _rows(tiny_spelling_data / "train.jsonl")
    assert [r["input"] for r in control] == [r["input"] for r in spelling]
    assert sorted(r["output"] for r in control) != [r["output"] for r in spelling]
    for mine, theirs in zip(control, spelling):
        assert mine["answer_about"] != theirs["word"]
        assert mine["category"] == f"mismatched/{theirs['category']}"
        donors = [r for r in spelling if r["output"] == mine["output"]]
        assert all(d["word"] != theirs["word"] for d in donors)  # never an answer about its own word
        assert all(d["category"].split("/")[0] == theirs["category"].split("/")[0] for d in donors)  # same order


def test_an_unknown_control_kind_is_an_input_error(tiny_spelling_data, tmp_path, tiny_model_dir):
    with pytest.raises(InputError, match="continuation, mismatched"):
        build_control_dataset(tiny_spelling_data, tmp_path / "out", str(tiny_model_dir), kind="shuffled")
