"""The LM corrector on a real (tiny) model trained by the tests, with the real SmolLM2 tokenizer."""

import pytest

from spelltune.correct.config import CorrectorConfig, GenerationSettings
from spelltune.correct.lm import LMCorrector
from spelltune.engine import load_engine


@pytest.fixture(scope="module")
def trained(trained_tiny_model_dir):
    return load_engine(str(trained_tiny_model_dir), engine="torch", device="cpu")


def test_learned_correction_is_accepted_with_word_spans(trained):
    corrector = LMCorrector(trained, batch_size=4)
    [correction] = corrector.correct_lines(["I beleive this is teh correct answr."])
    assert correction.output == "I believe this is the correct answer."
    assert [(e.original, e.replacement) for e in correction.edits] == [
        ("beleive", "believe"),
        ("teh", "the"),
        ("answr.", "answer."),
    ]
    source = correction.input
    assert all(source[e.start : e.end] == e.original for e in correction.edits)


def test_guard_reverts_changed_name_and_number_but_keeps_nothing_else_changed(trained):
    [correction] = LMCorrector(trained).correct_lines(["Meet Jhon at 5pm today."])
    assert correction.output == "Meet Jhon at 5pm today."
    reasons = sorted(r.reason for r in correction.rejected)
    assert reasons == ["changes a name", "changes a number"]


def test_guard_refuses_rewrites_and_dropped_words(trained):
    rewrite, dropped = LMCorrector(trained).correct_lines(["Please rewrite me now.", "Keep every single word here."])
    assert rewrite.output == "Please rewrite me now."
    assert "word count" in rewrite.rejected[0].reason
    assert dropped.output == "Keep every single word here."
    assert dropped.rejected[0].reason == "drops a word"


def test_batched_generation_equals_one_at_a_time(trained):
    lines = [
        "I beleive this is teh correct answr.",
        "Ther cat sat on teh mat.",
        "we shud go home now",
        "This sentence is fine.",
    ]
    one = [c.output for c in LMCorrector(trained, batch_size=1).correct_lines(lines)]
    batched = [c.output for c in LMCorrector(trained, batch_size=4).correct_lines(lines)]
    assert one == batched
    assert one[1] == "The cat sat on the mat."


def test_long_line_is_split_corrected_piecewise_and_nothing_is_lost(trained):
    settings = CorrectorConfig(generation=GenerationSettings(max_words_per_piece=8))
    line = "Ther cat sat on teh mat.  " + " ".join(f"word{i}" for i in range(30)) + ".  we shud go home now"
    [correction] = LMCorrector(trained, settings).correct_lines([line])
    assert correction.output.startswith("The cat sat on the mat.  word0 word1")
    assert correction.output.endswith("word29.  we should go home now")
    assert correction.output.split() [6:36] == line.split()[6:36]
    for edit in correction.edits:
        assert line[edit.start : edit.end] == edit.original


def test_untrained_model_noise_never_reaches_the_output(tiny_model_dir):
    noisy = load_engine(str(tiny_model_dir), engine="torch", device="cpu")
    lines = ["The quick brown fox jumps over the lazy dog.", "Ths is a tset.", "   ", ""]
    corrections = LMCorrector(noisy, batch_size=2).correct_lines(lines)
    assert [c.input for c in corrections] == lines
    for correction in corrections:
        # Whatever the noise, every output word is an input word or an accepted close edit.
        assert len(correction.output.split()) == len(correction.input.split())
    assert corrections[2].output == "   " and corrections[3].output == ""


def test_every_second_pass_kind_leaves_right_words_alone_on_a_real_model(trained):
    from dataclasses import replace

    from spelltune.correct.rescore import RescoreSettings

    # Every lever of the second pass on: short words, accents (and accent-only typos), neighbouring and
    # whole-sentence re-decisions (beside the others' likeliest known words first), rare short words, capitals
    # at corrected sentence starts. Right words of each kind must come back as written.
    every = RescoreSettings(short_words=True, non_ascii_words=True, adjacent_misspellings=True,
                            sentence_misspellings=True, redecide_rounds=2, known_context=True, rare_words=True,
                            accent_typos=True, sentence_case=True)
    corrector = LMCorrector(trained, replace(CorrectorConfig(), rescore=every), batch_size=4)
    right = ["The lad stood in awe of it, as Zoë said at the café.",
             "It is an ox, so we go on up to it if he is by me.",
             "A naïve kin of Mr. Li met Ada at the inn.", "We ate pâté and crêpes. then a fiancé sang."]
    assert [c.output for c in corrector.correct_lines(right)] == right
    [fixed] = corrector.correct_lines(["I beleive this is teh correct answr."])
    assert fixed.output == "I believe this is the correct answer."
