"""Scores of corrector outputs against expected sentences; each metric is a named function.

Strict sentence exact match is the primary score. Character and n-gram similarities (CER, chrF,
BLEU, ROUGE-L, edit similarity) are reported too, but a do-nothing corrector already scores high on
them, so read them next to the `identity` baseline. Word-level scores follow NeuSpell: a word is an
error when source and expected differ there; it is corrected when the output equals the expected
word; a correct word is broken when the output changes it.

Rates are fractions in 0..1; chrF and BLEU keep sacrebleu's 0..100 scale.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from spelltune.evaluate.alignment import align_words

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def exact_match(outputs: Sequence[str], expected: Sequence[str]) -> float:
    """Share of outputs identical to the expected sentence, character for character."""
    _check_lengths(outputs, expected)
    return sum(output == gold for output, gold in zip(outputs, expected)) / len(expected) if expected else 0.0


def normalize_text(text: str) -> str:
    """NFKC, curly quotes and dashes made plain, whitespace collapsed, case folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(text.split()).casefold()


def normalized_exact_match(outputs: Sequence[str], expected: Sequence[str]) -> float:
    """Exact match after `normalize_text` on both sides: forgives case, spacing and quote style."""
    return exact_match([normalize_text(text) for text in outputs], [normalize_text(text) for text in expected])


def character_error_rate(outputs: Sequence[str], expected: Sequence[str]) -> float:
    """Corpus CER: the sum of character Levenshtein distances over the sum of expected lengths."""
    from rapidfuzz.distance import Levenshtein

    _check_lengths(outputs, expected)
    total_length = sum(len(gold) for gold in expected)
    distance = sum(Levenshtein.distance(output, gold) for output, gold in zip(outputs, expected))
    return distance / total_length if total_length else float(distance > 0)


def chrf(outputs: Sequence[str], expected: Sequence[str]) -> float:
    """Corpus chrF (sacrebleu defaults: character 6-grams, beta 2), 0..100."""
    import sacrebleu

    _check_lengths(outputs, expected)
    return sacrebleu.corpus_chrf(list(outputs), [list(expected)]).score


def bleu(outputs: Sequence[str], expected: Sequence[str]) -> float:
    """Corpus BLEU (sacrebleu defaults: 13a tokenization, 4-grams), 0..100."""
    import sacrebleu

    _check_lengths(outputs, expected)
    return sacrebleu.corpus_bleu(list(outputs), [list(expected)]).score


def rouge_l(outputs: Sequence[str], expected: Sequence[str]) -> float:
    """Mean sentence ROUGE-L F1 on whitespace words (longest common subsequence, rapidfuzz LCSseq)."""
    from rapidfuzz.distance import LCSseq

    _check_lengths(outputs, expected)
    scores = []
    for output, gold in zip(outputs, expected):
        output_words, gold_words = output.split(), gold.split()
        if not output_words or not gold_words:
            scores.append(float(output_words == gold_words))
            continue
        common = LCSseq.similarity(output_words, gold_words)
        precision, recall = common / len(output_words), common / len(gold_words)
        scores.append(2 * precision * recall / (precision + recall) if common else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def edit_similarity(outputs: Sequence[str], expected: Sequence[str]) -> float:
    """Mean rapidfuzz `fuzz.ratio` / 100 — the fuzzy ratio other plans score with, shown for contrast."""
    from rapidfuzz import fuzz

    _check_lengths(outputs, expected)
    ratios = [fuzz.ratio(output, gold) / 100 for output, gold in zip(outputs, expected)]
    return sum(ratios) / len(ratios) if ratios else 0.0


@dataclass
class WordCounts:
    """Aligned-word tallies over a set of sentences (see `word_counts`)."""

    errors: int = 0  # words where the source differs from the expected sentence
    correct_words: int = 0  # words already right in the source
    corrected: int = 0  # errors whose output equals the expected word
    broken: int = 0  # correct words the corrector changed
    changed: int = 0  # words the corrector changed at all
    changed_correctly: int = 0  # changed words whose output equals the expected word

    def __add__(self, other: WordCounts) -> WordCounts:
        return WordCounts(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple())))

    def as_tuple(self) -> tuple[int, ...]:
        """The six tallies in field order."""
        return (self.errors, self.correct_words, self.corrected, self.broken, self.changed, self.changed_correctly)


def word_counts(sources: Sequence[str], expected: Sequence[str], outputs: Sequence[str]) -> WordCounts:
    """Tally aligned words over all sentences (alignment: `spelltune.evaluate.alignment`)."""
    _check_lengths(sources, expected)
    _check_lengths(outputs, expected)
    counts = WordCounts()
    for source, gold, output in zip(sources, expected, outputs):
        for word in align_words(source, gold, output):
            is_error = word.source != word.expected
            counts.errors += is_error
            counts.correct_words += not is_error
            counts.corrected += is_error and word.output == word.expected
            counts.broken += (not is_error) and word.output != word.source
            counts.changed += word.output != word.source
            counts.changed_correctly += word.output != word.source and word.output == word.expected
    return counts


def word_correction_rate(counts: WordCounts) -> float:
    """Recall: corrected errors / errors (0 when there were no errors)."""
    return counts.corrected / counts.errors if counts.errors else 0.0


def word_precision(counts: WordCounts) -> float | None:
    """Changed words that became the expected word / changed words; None if nothing changed."""
    return counts.changed_correctly / counts.changed if counts.changed else None


def word_f_beta(counts: WordCounts, beta: float = 0.5) -> float:
    """F-beta of word precision and recall; F0.5 weighs precision twice as much as recall."""
    precision, recall = word_precision(counts) or 0.0, word_correction_rate(counts)
    if precision == 0 or recall == 0:
        return 0.0
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall)


def words_broken_rate(counts: WordCounts) -> float:
    """Correct words the corrector changed / correct words."""
    return counts.broken / counts.correct_words if counts.correct_words else 0.0


def score_sentences(sources: Sequence[str], expected: Sequence[str], outputs: Sequence[str]) -> dict:
    """Every metric over one set of sentences, as a flat dict (the rows of a report)."""
    counts = word_counts(sources, expected, outputs)
    return {
        "sentences": len(expected),
        "exact_match": exact_match(outputs, expected),
        "normalized_exact_match": normalized_exact_match(outputs, expected),
        "word_correction_rate": word_correction_rate(counts),
        "word_precision": word_precision(counts),
        "word_f0_5": word_f_beta(counts, 0.5),
        "words_broken": counts.broken,
        "words_broken_rate": words_broken_rate(counts),
        "word_errors": counts.errors,
        "words_corrected": counts.corrected,
        "cer": character_error_rate(outputs, expected),
        "chrf": chrf(outputs, expected),
        "bleu": bleu(outputs, expected),
        "rouge_l": rouge_l(outputs, expected),
        "edit_similarity": edit_similarity(outputs, expected),
    }


def _check_lengths(first: Sequence[str], second: Sequence[str]) -> None:
    if len(first) != len(second):
        raise ValueError(f"{len(first)} outputs for {len(second)} expected sentences")
