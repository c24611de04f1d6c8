"""Leak-free splits: each distinct clean sentence goes to exactly one split; held-out target words."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

from spelltune.data.lexicon.homophones import AMBIGUOUS_CONTRACTIONS, CONTRACTIONS, HOMOPHONE_SETS
from spelltune.data.types import CleanSentence
from spelltune.data.words import vocabulary_of

SPLITS: tuple[str, ...] = ("train", "validation", "test")


def sentence_key(text: str) -> str:
    """The form two sentences share when they are the same sentence: casefolded, spaces collapsed."""
    return " ".join(text.casefold().split())


def deduplicate(sentences: Iterable[CleanSentence]) -> list[CleanSentence]:
    """The first sentence with each key, in the order given."""
    seen: set[str] = set()
    unique: list[CleanSentence] = []
    for sentence in sentences:
        key = sentence_key(sentence.text)
        if key not in seen:
            seen.add(key)
            unique.append(sentence)
    return unique


def assign_splits(
    sentences: list[CleanSentence], validation_fraction: float, test_fraction: float, rng: random.Random
) -> dict[str, list[CleanSentence]]:
    """Distinct sentences shuffled (in sorted key order first, so input order does not matter) and
    cut into test, validation and train; every split that is asked for gets at least one."""
    unique = sorted(deduplicate(sentences), key=lambda s: (sentence_key(s.text), s.source))
    rng.shuffle(unique)
    n = len(unique)
    n_test = max(1, round(n * test_fraction)) if test_fraction > 0 else 0
    n_validation = max(1, round(n * validation_fraction)) if validation_fraction > 0 else 0
    return {
        "test": unique[:n_test],
        "validation": unique[n_test : n_test + n_validation],
        "train": unique[n_test + n_validation :],
    }


def choose_heldout_words(
    sentences: Iterable[CleanSentence], misspellings: Mapping[str, object], fraction: float, rng: random.Random
) -> frozenset[str]:
    """A seeded sample of the words that both have real misspellings and occur in the sentences,
    leaving out homophones and contractions (every split needs those); lowercase."""
    lexicon = set().union(*HOMOPHONE_SETS) | set(CONTRACTIONS) | set(AMBIGUOUS_CONTRACTIONS)
    lexicon |= {v.lower() for v in CONTRACTIONS.values()}
    present = vocabulary_of(s.text for s in sentences)
    candidates = sorted(w for w in present if w in misspellings and w not in lexicon and len(w) >= 4)
    count = round(len(candidates) * fraction)
    return frozenset(rng.sample(candidates, count)) if count else frozenset()
