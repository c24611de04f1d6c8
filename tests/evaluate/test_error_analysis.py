"""Error types of aligned error words."""

import pytest

from spelltune.evaluate.error_analysis import analyse_errors, classify_error
from spelltune.evaluate.report import CaseResult, EvalReport

WORDS = {"there", "their", "dog", "bog"}


@pytest.mark.parametrize(
    ("source", "expected", "kind"),
    [
        ("definately", "definitely", "substitution"),
        ("goverment", "government", "omission"),
        ("beautifull", "beautiful", "insertion"),
        ("freind", "friend", "transposition"),
        ("their", "there", "real-word"),
        ("bog", "dog", "real-word"),
        ("alot", "a lot", "split/merge"),
        ("some thing", "something", "split/merge"),
        ("monday.", "Monday", "case/punctuation"),
        ("togheter", "together", "multiple"),
    ],
)
def test_classify_error(source, expected, kind):
    assert classify_error(source, expected, WORDS) == kind


def test_analyse_errors_counts_fixed_missed_and_over_corrections():
    cases = [
        CaseResult("1", "c", "", "", "teh freind", "the friend", "the freind", False),
        CaseResult("2", "c", "", "", "my dog", "my dog", "my dig", False),
    ]
    report = EvalReport("m", "s", "s", {}, {}, {}, {}, {}, cases)
    tallies = analyse_errors(report)
    assert (tallies["transposition"].total, tallies["transposition"].fixed) == (2, 1)  # teh, freind
    assert tallies["transposition"].examples[0]["source"] == "freind"
    assert tallies["over-correction"].total == 1
