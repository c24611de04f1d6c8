"""Each metric on values computed by hand."""

import pytest

from spelltune.evaluate import metrics


def test_exact_match_is_strict_about_case_and_punctuation():
    outputs = ["The cat.", "the cat.", "The cat"]
    assert metrics.exact_match(outputs, ["The cat."] * 3) == pytest.approx(1 / 3)


def test_normalized_exact_match_forgives_case_spacing_and_quotes():
    outputs = ["the  CAT’s bowl", "The cat's bowl.", "The dog's bowl"]
    assert metrics.normalized_exact_match(outputs, ["The cat's bowl"] * 3) == pytest.approx(1 / 3)


def test_character_error_rate_is_summed_distance_over_summed_length():
    # "abcd" vs "abxd": 1 substitution; "hello" vs "helo": 1 insertion needed. 2 / (4 + 4)
    assert metrics.character_error_rate(["abxd", "hello"], ["abcd", "helo"]) == pytest.approx(2 / 8)


def test_chrf_and_bleu_are_100_for_identical_text_and_lower_otherwise():
    gold = ["the quick brown fox jumps over the lazy dog"]
    assert metrics.chrf(gold, gold) == pytest.approx(100.0)
    assert metrics.bleu(gold, gold) == pytest.approx(100.0)
    assert metrics.bleu(["the quick brown fox jumps over the lazy cat"], gold) < 100


def test_bleu_by_hand():
    # 4 words vs 4 words, one wrong at the end: unigram 3/4, bigram 2/3, trigram 1/2, 4-gram 0/1.
    # sacrebleu's default 'exp' smoothing replaces the 0 count with 1/2^1 over 1: p4 = 0.5.
    import math

    expected = 100 * math.exp((math.log(3 / 4) + math.log(2 / 3) + math.log(1 / 2) + math.log(1 / 2)) / 4)
    assert metrics.bleu(["a b c x"], ["a b c d"]) == pytest.approx(expected, rel=1e-6)


def test_rouge_l_from_longest_common_subsequence():
    # LCS("a b c d", "a c d e") = "a c d" = 3; P = 3/4, R = 3/4, F = 0.75. Second pair: identical, 1.0.
    assert metrics.rouge_l(["a b c d", "x y"], ["a c d e", "x y"]) == pytest.approx((0.75 + 1.0) / 2)


def test_edit_similarity_is_rapidfuzz_ratio():
    # Indel distance("abc", "abd") = 2 over total length 6: ratio 1 - 2/6 = 2/3.
    assert metrics.edit_similarity(["abc"], ["abd"]) == pytest.approx(2 / 3)


def test_word_scores_on_a_hand_counted_sentence():
    source = "i tought you wich was rigth"
    expected = "i thought you which was right"
    output = "I thought you with was right"
    counts = metrics.word_counts([source], [expected], [output])
    # errors: tought, wich, rigth (3); correct words: i, you, was (3)
    # corrected: tought, rigth (2); broken: i -> I (1); changed: I, thought, with, right (4), right ones 2
    assert (counts.errors, counts.correct_words, counts.corrected, counts.broken) == (3, 3, 2, 1)
    assert (counts.changed, counts.changed_correctly) == (4, 2)
    assert metrics.word_correction_rate(counts) == pytest.approx(2 / 3)
    assert metrics.word_precision(counts) == pytest.approx(2 / 4)
    p, r = 0.5, 2 / 3
    assert metrics.word_f_beta(counts, 0.5) == pytest.approx(1.25 * p * r / (0.25 * p + r))
    assert metrics.words_broken_rate(counts) == pytest.approx(1 / 3)


def test_word_precision_is_undefined_when_nothing_changed():
    counts = metrics.word_counts(["a b"], ["a c"], ["a b"])
    assert metrics.word_precision(counts) is None
    assert metrics.word_f_beta(counts) == 0.0


def test_word_scores_when_word_counts_differ():
    # A merge the corrector makes counts once; the untouched words stay correct words.
    counts = metrics.word_counts(["we did it to gether ."], ["we did it together ."], ["we did it together ."])
    assert (counts.errors, counts.corrected, counts.correct_words, counts.broken) == (1, 1, 4, 0)


def test_a_dropped_word_is_a_broken_word():
    counts = metrics.word_counts(["she is very happy"], ["she is very happy"], ["she is happy"])
    assert (counts.errors, counts.broken, counts.correct_words) == (0, 1, 4)


def test_score_sentences_reports_every_metric():
    scores = metrics.score_sentences(["a b"], ["a c"], ["a c"])
    assert scores["exact_match"] == 1.0 and scores["cer"] == 0.0 and scores["word_f0_5"] == 1.0
    assert {"chrf", "bleu", "rouge_l", "edit_similarity", "words_broken", "normalized_exact_match"} <= set(scores)


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError):
        metrics.exact_match(["a"], ["a", "b"])
