"""Build the study's dataset: spelling rows of the tokenizer's tokens (train) and questions on held-out words.

Writes OUT/train.jsonl, validation.jsonl (both in the `input`/`output` shape `spelltune train` reads,
plus `prompt`/`completion` already in this stage's Q&A format), test.jsonl and manifest.json. The same
config gives byte-identical files.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from spelltune.errors import InputError
from spelltune.models.loading import load_tokenizer
from spelltune.spelling.config import SpellingConfig
from spelltune.spelling.prompt import FEW_SHOT_WORDS, build_training_example
from spelltune.spelling.questions import KINDS, Question, bin_label, length_bins, make_question, split_evenly
from spelltune.spelling.templates import VARIANTS, render
from spelltune.spelling.tokens import LetterToken, extract_letter_tokens
from spelltune.spelling.words import is_held_out_word, load_words, word_pieces

SPLITS = ("validation", "test")


@dataclass
class BuiltDataset:
    """What was written and the numbers the manifest records."""

    out_dir: Path
    manifest: dict[str, Any]


def train_rows(tokens: list[LetterToken], config: SpellingConfig, tokenizer: Any) -> list[dict[str, Any]]:
    """One spelling example per distinct token word (or `train_examples` of them), variants round-robin."""
    distinct = sorted({t.word for t in tokens})
    count = config.train_examples or len(distinct)
    words: list[str] = []
    for repeat in range(-(-count // len(distinct))):
        # Each pass over the words is shuffled anew, so a repeated word meets another template.
        shuffled = list(distinct)
        random.Random(f"{config.seed}-train-{repeat}").shuffle(shuffled)
        words += shuffled
    rows = []
    for index in range(count):
        word = words[index]
        variant = VARIANTS[index % len(VARIANTS)]
        question, answer = render(variant, word)
        example = build_training_example(tokenizer, question, answer)
        rows.append({"input": question, "output": answer, "category": variant.name, "word": word,
                     "prompt": example.prompt, "completion": example.completion})
    return rows


def choose_question_words(words: list[str], train_words: set[str], config: SpellingConfig, tokenizer: Any,
                          ) -> dict[str, dict[str, list[tuple[str, list[str]]]]]:
    """Per split and length bin, the held-out words (with their pieces) its questions ask about."""
    needed = {split: split_evenly(2 * _per_type(config, split), len(config.length_bins)) for split in SPLITS}
    chosen: dict[str, dict[str, list[tuple[str, list[str]]]]] = {split: {} for split in SPLITS}
    for index, (lower, upper) in enumerate(length_bins(config.length_bins, config.max_word_length)):
        label = bin_label(lower, upper)
        candidates = [w for w in words if lower <= len(w) <= upper and w not in train_words and w not in FEW_SHOT_WORDS]
        random.Random(f"{config.seed}-words-{label}").shuffle(candidates)
        want = sum(needed[split][index] for split in SPLITS)
        picked: list[tuple[str, list[str]]] = []
        for word in candidates:
            pieces = word_pieces(tokenizer, word)
            if is_held_out_word(pieces):
                picked.append((word, pieces))
                if len(picked) == want:
                    break
        if len(picked) < want:
            raise InputError(
                f"the word list has {len(picked)} usable words of length {label}, {want} needed: "
                "give a bigger list (--words) or fewer questions"
            )
        start = 0
        for split in SPLITS:
            chosen[split][label] = picked[start:start + needed[split][index]]
            start += needed[split][index]
    return chosen


def _per_type(config: SpellingConfig, split: str) -> int:
    return config.validation_per_type if split == "validation" else config.test_per_type


def split_questions(split: str, by_bin: dict[str, list[tuple[str, list[str]]]], config: SpellingConfig,
                    ) -> list[Question]:
    """Half of each bin's words get a count question, half a position question; bins interleaved.

    Interleaving (bin 1 count, bin 1 position, bin 2 count, ...) makes any prefix of the file a
    length-stratified, type-balanced sample, so an evaluation of the first N questions stays fair.
    """
    rng = random.Random(f"{config.seed}-{split}-questions")
    columns: list[list[Question]] = []
    for label in sorted(by_bin, key=lambda lab: int(lab.split("-")[0])):
        words = by_bin[label]
        half = (len(words) + 1) // 2
        for kind, group in zip(KINDS, (words[:half], words[half:])):
            columns.append([make_question(kind, word, rng, config.absent_letter_share,
                                          f"{split}-{kind}-{label}-{i}", label, pieces,
                                          config.repeated_letter_share)
                            for i, (word, pieces) in enumerate(group)])
    interleaved = []
    for row in range(max(len(c) for c in columns)):
        interleaved += [column[row] for column in columns if row < len(column)]
    return interleaved


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


def build_spelling_dataset(config: SpellingConfig, out_dir: Path, tokens: list[LetterToken] | None = None,
                           progress: Callable[[str], None] | None = None) -> BuiltDataset:
    """Build and write every split; `tokens` skips the extraction when given (from `spelling tokens`)."""
    say = progress or (lambda message: None)
    say(f"loading word list {config.words}")
    words = load_words(config.words)  # first: a bad path fails before the slow steps
    say(f"loading tokenizer {config.tokenizer}")
    tokenizer = load_tokenizer(config.tokenizer)
    tokens = tokens if tokens is not None else extract_letter_tokens(tokenizer)
    if not tokens:
        raise InputError(f"tokenizer {config.tokenizer} has no multi-character letters-only tokens")
    say(f"{len(tokens)} letter tokens; writing train rows")
    train = train_rows(tokens, config, tokenizer)
    train_words = {t.word.lower() for t in tokens}
    chosen = choose_question_words(words, train_words, config, tokenizer)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out_dir / "train.jsonl", train)
    manifest: dict[str, Any] = {
        "config": config.to_dict(),
        "letter_tokens": len(tokens),
        "train_examples": len(train),
        "train_variants": dict(sorted(Counter(r["category"] for r in train).items())),
        "prompt_format": "spelltune.spelling.prompt (rows carry prompt/completion built with it)",
    }
    for split in SPLITS:
        questions = split_questions(split, chosen[split], config)
        rows = []
        for question in questions:
            row = question.to_row()
            example = build_training_example(tokenizer, question.question, question.answer)
            rows.append({**row, "prompt": example.prompt, "completion": example.completion})
        _write_jsonl(out_dir / f"{split}.jsonl", rows)
        manifest[split] = {
            "questions": len(rows),
            "by_kind": dict(sorted(Counter(q.kind for q in questions).items())),
            "by_length_bin": dict(sorted(Counter(q.length_bin for q in questions).items())),
        }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    say(f"wrote {out_dir}")
    return BuiltDataset(out_dir=out_dir, manifest=manifest)
