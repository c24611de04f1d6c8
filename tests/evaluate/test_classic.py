"""The classic baselines: per-word correction that keeps case, punctuation, URLs and code."""

import pytest

from spelltune.correct.classic import CLASSIC_CORRECTORS
from spelltune.correct.load import load_corrector


@pytest.fixture(scope="module", params=["symspell", "pyspellchecker"])
def per_word(request):
    return load_corrector(request.param)


def test_identity_returns_lines_unchanged():
    corrector = load_corrector("identity")
    lines = ["Teh cat", "", "  spaced  "]
    assert [c.output for c in corrector.correct_lines(lines)] == lines


def test_per_word_fixes_typos_and_keeps_case_and_punctuation(per_word):
    [correction] = per_word.correct_lines(["Teh quick brwon fox, jumpd over it."])
    assert correction.output.startswith("The quick brown fox, ")
    assert correction.output.endswith(" over it.")
    assert [(e.original, e.replacement) for e in correction.edits][:2] == [("Teh", "The"), ("brwon", "brown")]
    edit = correction.edits[0]
    assert correction.input[edit.start : edit.end] == "Teh"


def test_per_word_leaves_urls_emails_code_and_abbreviations(per_word):
    line = "Mail jon@exmple.com, see https://githb.com/x and run parse_confg(x) at NASSA."
    assert per_word.correct_lines([line])[0].output == line


def test_registry_names():
    assert {"identity", "symspell", "pyspellchecker"} <= set(CLASSIC_CORRECTORS)


def test_hunspell_where_installed():
    pytest.importorskip("hunspell")
    try:
        corrector = load_corrector("hunspell")
    except Exception as error:  # no system dictionary on this machine
        pytest.skip(str(error))
    line = "Teh brwon fox at https://githb.com/x"
    assert corrector.correct_lines([line])[0].output == "The brown fox at https://githb.com/x"
