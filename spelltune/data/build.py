"""`build_dataset`: sources -> clean sentences and misspellings -> balanced, leak-free pairs on disk."""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from spelltune.atomic import atomic_directory, open_atomic, write_json, write_text
from spelltune.correct.confusion import confusion_partners
from spelltune.data.config import CATEGORIES, COMPLEXITIES, DataConfig, MisspellingSource, SentenceSource
from spelltune.data.corruption.sentence import corrupt_sentence
from spelltune.data.lexicon.homophones import confusables_of
from spelltune.data.sources import (
    load_clean_sentences,
    load_codespell_dictionary,
    load_embedded_sentences,
    load_hf_sentences,
    load_mitton_dat,
    load_norvig_testset,
    load_toefl_spell,
)
from spelltune.data.splits import SPLITS, assign_splits, choose_heldout_words, deduplicate
from spelltune.data.types import CleanSentence, CorrectionPair, WordMisspelling
from spelltune.data.words import vocabulary_of, words_in
from spelltune.errors import InputError
from spelltune.jsonl import read_jsonl_objects

_MISSPELLING_TEXT = re.compile(r"^[a-z][a-z' -]*$")
# Sentences this long or longer are preferred for complex (4+ error) pairs.
COMPLEX_MIN_WORDS = 10
HELDOUT_FILE = "heldout_words.txt"


@dataclass
class Misspellings:
    """Real misspellings by lowercase correct word (sorted), and the corpus each pair came from."""

    by_word: dict[str, list[str]] = field(default_factory=dict)
    source_of: dict[tuple[str, str], str] = field(default_factory=dict)
    counts_by_source: dict[str, int] = field(default_factory=dict)


@dataclass
class BuildReport:
    """What a build wrote and how its pairs break down (also saved as stats.json)."""

    out_dir: Path
    stats: dict[str, object]
    files: list[Path]


def load_sentence_source(source: SentenceSource) -> list[CleanSentence]:
    """The clean sentences of one configured source."""
    if source.kind == "embedded":
        return load_embedded_sentences(source.name or "everyday-en")
    if source.kind == "files":
        return load_clean_sentences(source.path, source=source.name, field=source.column)
    if source.kind == "hf_disk":
        return load_hf_sentences(source.path, split=source.split, column=source.column, from_disk=True)
    return load_hf_sentences(source.name or "", split=source.split, column=source.column, from_disk=False)


def load_misspelling_source(source: MisspellingSource) -> list[WordMisspelling]:
    """The word-level misspellings of one configured source."""
    if source.kind == "codespell":
        return load_codespell_dictionary(source.path, source=source.name or "codespell")
    if source.kind == "mitton":
        return load_mitton_dat(source.path, source=source.name)
    if source.kind == "norvig":
        return load_norvig_testset(source.path, source=source.name)
    if source.kind == "feedback":
        from spelltune.data.sources.feedback import load_feedback_misspellings

        return load_feedback_misspellings(source.path, source=source.name)
    return load_toefl_spell(source.path, source=source.name or "toefl-spell")


def collect_misspellings(sources: Sequence[MisspellingSource]) -> Misspellings:
    """All configured misspellings, lowercase, one-word targets only; the first source to list a
    pair owns it. Misspellings that are homophones of their word are left to the homophone errors."""
    result = Misspellings()
    by_word: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        pairs = load_misspelling_source(source)
        if not pairs:
            raise InputError(f"misspellings: the {source.kind} source {source.path or ''} holds no pairs".strip())
        kept = 0
        for pair in pairs:
            correct, wrong = pair.correct.lower(), pair.misspelling.lower()
            if not correct.isalpha() or not _MISSPELLING_TEXT.match(wrong) or wrong == correct:
                continue
            if wrong in confusables_of(correct):
                continue
            if (correct, wrong) not in result.source_of:
                result.source_of[(correct, wrong)] = pair.source
                by_word[correct].add(wrong)
                kept += 1
        result.counts_by_source[pairs[0].source] = result.counts_by_source.get(pairs[0].source, 0) + kept
    result.by_word = {w: sorted(m) for w, m in sorted(by_word.items())}
    return result


def drop_real_word_misspellings(misspellings: Misspellings, sentences: Sequence[CleanSentence]) -> None:
    """Drop misspellings that are words of the clean sentences themselves (Birkbeck records `he` for
    `she` and `to` for `the`): learning those would teach the model to rewrite correct words. Real-word
    errors come from the curated homophone sets instead."""
    vocabulary = vocabulary_of(s.text for s in sentences)
    kept: dict[str, list[str]] = {}
    for word, wrongs in misspellings.by_word.items():
        usable = [w for w in wrongs if not all(part in vocabulary for part in w.split())]
        if usable:
            kept[word] = usable
    misspellings.by_word = kept


def collect_sentences(sources: Sequence[SentenceSource], rng: random.Random) -> tuple[list[CleanSentence], dict[str, int]]:
    """Distinct clean sentences from every source (each capped by its max_sentences, a seeded sample)."""
    everything: list[CleanSentence] = []
    counts: dict[str, int] = {}
    for source in tqdm(sources, desc="loading sentences", unit="source", leave=False, disable=None):
        sentences = deduplicate(load_sentence_source(source))
        where = source.path or source.name or source.kind
        if not sentences:
            raise InputError(f"sentences: {where} holds no usable sentences (4-40 words, ending . ! or ?)")
        if source.max_sentences is not None and len(sentences) > source.max_sentences:
            sentences = rng.sample(sentences, source.max_sentences)
        counts[sentences[0].source] = counts.get(sentences[0].source, 0) + len(sentences)
        everything.extend(sentences)
    return deduplicate(everything), counts


def exact_counts(total: int, shares: Mapping[str, float], order: Sequence[str]) -> dict[str, int]:
    """`total` divided in proportion to `shares` (largest remainder), summing exactly to `total`."""
    weight = sum(shares.get(k, 0.0) for k in order)
    raw = {k: total * shares.get(k, 0.0) / weight for k in order}
    counts = {k: int(raw[k]) for k in order}
    for k in sorted(order, key=lambda k: (-(raw[k] - counts[k]), order.index(k)))[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def _error_count(complexity: str, words: int, config: DataConfig) -> int:
    if complexity == "simple":
        return 1
    if complexity == "medium":
        return min(3, max(2, round(config.word_error_rate * words)), config.max_errors_per_sentence)
    if complexity == "dense":
        return max(4, round(config.dense_word_error_rate * words))
    return min(config.max_errors_per_sentence, max(4, round(2 * config.word_error_rate * words)))


def has_confusable_word(text: str) -> bool:
    """Whether `text` holds a word of 4+ letters that a writer confuses with another real word
    (their, where, from, week), so leaving it unchanged is a decision, not a default."""
    return any(len(word) >= 4 and confusion_partners(word) for word in words_in(text))


def complexity_of(error_count: int) -> str:
    """simple = one error, medium = two or three, complex = four or more; none for a clean pair."""
    if error_count == 0:
        return "none"
    return "simple" if error_count == 1 else "medium" if error_count <= 3 else "complex"


class _SentencePool:
    """Cycles through a split's sentences in a fresh seeded order each round."""

    def __init__(self, sentences: list[CleanSentence], rng: random.Random) -> None:
        self.sentences = sentences
        self.rng = rng
        self.order: list[int] = []

    def next(self) -> CleanSentence:
        if not self.order:
            self.order = list(range(len(self.sentences)))
            self.rng.shuffle(self.order)
        return self.sentences[self.order.pop()]


def generate_split_pairs(
    split: str,
    sentences: list[CleanSentence],
    pair_count: int,
    config: DataConfig,
    misspellings: Misspellings,
    heldout: frozenset[str],
    rng: random.Random,
) -> list[CorrectionPair]:
    """`pair_count` pairs made from `sentences`, in the configured category and complexity mix.

    Train never corrupts a held-out word; validation and test may. Each category draws from its own
    cycle over the sentences, long ones first for complex pairs, and skips a sentence it cannot use.
    """
    protected = heldout if split == "train" else frozenset()
    categories = [c for c, n in exact_counts(pair_count, config.category_mix, CATEGORIES).items() for _ in range(n)]
    rng.shuffle(categories)
    long_sentences = [s for s in sentences if len(words_in(s.text)) >= COMPLEX_MIN_WORDS] or sentences
    pools = {
        (category, long): _SentencePool(long_sentences if long else sentences, random.Random(rng.random()))
        for category in CATEGORIES
        for long in (False, True)
    }
    confusable_pool = _SentencePool([s for s in sentences if has_confusable_word(s.text)] or sentences,
                                    random.Random(rng.random()))
    complexity_names = list(COMPLEXITIES)
    complexity_weights = [config.complexity_mix.get(c, 0.0) for c in complexity_names]
    pairs: list[CorrectionPair] = []
    for category in tqdm(categories, desc=f"building {split}", unit="pair", leave=False, disable=None):
        lowercase = category != "case" and rng.random() < config.lowercase_share
        if category == "pass_through":
            confusable = rng.random() < config.pass_through_confusable_share
            sentence = (confusable_pool if confusable else pools[(category, False)]).next()
            text = sentence.text.lower() if lowercase else sentence.text
            pairs.append(CorrectionPair(text, text, category, f"{sentence.source}|clean", (), "none"))
            continue
        complexity = rng.choices(complexity_names, complexity_weights)[0]
        pool = pools[(category, complexity in ("complex", "dense"))]
        for _ in range(4 * len(sentences) if len(sentences) < 50 else 200):
            sentence = pool.next()
            count = _error_count(complexity, len(words_in(sentence.text)), config)
            corrupted = corrupt_sentence(
                sentence.text,
                category,
                count,
                rng,
                misspellings.by_word,
                misspellings.source_of,
                protected,
                config.same_category_share,
            )
            if corrupted is None:
                continue
            source, target = corrupted.text, sentence.text
            if lowercase:
                source, target = source.lower(), target.lower()
                if source == target:
                    continue
            origin = "+".join(sorted(corrupted.human_sources)) or "synthetic"
            pairs.append(
                CorrectionPair(
                    source,
                    target,
                    category,
                    f"{sentence.source}|{origin}",
                    tuple(corrupted.error_types),
                    "dense" if complexity == "dense" and corrupted.error_count >= 4 else complexity_of(corrupted.error_count),
                )
            )
            break
    return pairs


def write_jsonl(path: Path, pairs: Sequence[CorrectionPair]) -> None:
    """One JSON object per line, UTF-8, keys in a fixed order, `\\n` line endings."""
    with open_atomic(path, "w", encoding="utf-8", newline="\n") as handle:  # all of it or the old file
        for pair in pairs:
            handle.write(json.dumps(pair.to_row(), ensure_ascii=False) + "\n")


def summarize(
    pairs_by_split: Mapping[str, Sequence[CorrectionPair]],
    sentences_by_split: Mapping[str, Sequence[CleanSentence]],
    sentence_counts: Mapping[str, int],
    misspellings: Misspellings,
    heldout: frozenset[str],
    config: DataConfig,
) -> dict[str, object]:
    """Counts by split, category, error type, complexity and source; deterministic, no times."""
    all_pairs = [p for split in SPLITS for p in pairs_by_split[split]]
    total = len(all_pairs)

    def counter(values: list[str]) -> dict[str, int]:
        return dict(sorted(Counter(values).items()))

    heldout_in_eval = sum(
        1
        for split in ("validation", "test")
        for p in pairs_by_split[split]
        if any(w.lower() in heldout for w in words_in(p.output))
        and p.input != p.output
    )
    return {
        "seed": config.seed,
        "pairs": total,
        "pairs_by_split": {s: len(pairs_by_split[s]) for s in SPLITS},
        "sentences_by_split": {s: len(sentences_by_split[s]) for s in SPLITS},
        "sentences_by_source": dict(sorted(sentence_counts.items())),
        "misspellings_by_source": dict(sorted(misspellings.counts_by_source.items())),
        "misspelled_words": len(misspellings.by_word),
        "by_category": counter([p.category for p in all_pairs]),
        "by_category_and_split": {
            s: counter([p.category for p in pairs_by_split[s]]) for s in SPLITS
        },
        "by_error_type": counter([t for p in all_pairs for t in p.error_types]),
        "by_complexity": counter([p.complexity for p in all_pairs]),
        "by_source": counter([p.source for p in all_pairs]),
        "lowercase_pairs": sum(1 for p in all_pairs if p.output == p.output.lower()),
        "pass_through_share": round(sum(p.category == "pass_through" for p in all_pairs) / max(total, 1), 4),
        "pass_through_with_confusable_word": sum(
            p.category == "pass_through" and has_confusable_word(p.input) for p in all_pairs
        ),
        "heldout_words": len(heldout),
        "eval_pairs_with_heldout_words": heldout_in_eval,
    }


def build_dataset(config: DataConfig, out_dir: Path | str, fmt: str = "jsonl") -> BuildReport:
    """Build the dataset `config` describes into `out_dir`: train/validation/test JSONL, the held-out
    word list, stats.json, card.md and plots (plus a `datasets.DatasetDict` in `hf/` for fmt="hf")."""
    from spelltune.data.card import write_card
    from spelltune.data.plots import write_plots

    if fmt not in ("jsonl", "hf"):
        raise InputError(f"--format must be jsonl or hf, not {fmt!r}")
    config.validate()
    out_dir = Path(out_dir)
    rng = random.Random(config.seed)
    sentences, sentence_counts = collect_sentences(config.sentences, random.Random(rng.random()))
    misspellings = collect_misspellings(config.misspellings)
    if config.category_mix.get("real_misspelling", 0) > 0 and not misspellings.by_word:
        raise InputError("category real_misspelling needs at least one misspellings source")
    drop_real_word_misspellings(misspellings, sentences)
    by_split = assign_splits(sentences, config.validation_fraction, config.test_fraction, random.Random(rng.random()))
    heldout = choose_heldout_words(sentences, misspellings.by_word, config.heldout_word_fraction, random.Random(rng.random()))
    shares = {"train": 1 - config.validation_fraction - config.test_fraction,
              "validation": config.validation_fraction, "test": config.test_fraction}
    pair_counts = exact_counts(config.pairs, shares, SPLITS)
    pairs_by_split = {
        split: generate_split_pairs(
            split, by_split[split], pair_counts[split], config, misspellings, heldout, random.Random(rng.random())
        )
        if by_split[split] else []
        for split in SPLITS
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for split in SPLITS:
        path = out_dir / f"{split}.jsonl"
        write_jsonl(path, pairs_by_split[split])
        files.append(path)
    heldout_path = out_dir / HELDOUT_FILE
    write_text(heldout_path, "".join(f"{w}\n" for w in sorted(heldout)))
    files.append(heldout_path)
    stats = summarize(pairs_by_split, by_split, sentence_counts, misspellings, heldout, config)
    stats_path = out_dir / "stats.json"
    write_json(stats_path, stats)
    files.append(stats_path)
    files.extend(write_plots(pairs_by_split, out_dir))
    files.append(write_card(config, stats, pairs_by_split, out_dir))
    if fmt == "hf":
        files.append(save_hf_dataset(out_dir))
    return BuildReport(out_dir=out_dir, stats=stats, files=files)


def save_hf_dataset(out_dir: Path) -> Path:
    """Save the three JSONL splits as a `datasets.DatasetDict` in `out_dir/hf`."""
    import datasets

    splits = {}
    for split in SPLITS:
        rows = [row for _, row in read_jsonl_objects(out_dir / f"{split}.jsonl")]
        splits[split] = datasets.Dataset.from_list(rows) if rows else datasets.Dataset.from_dict(
            {"input": [], "output": [], "category": [], "source": [], "error_types": [], "complexity": []}
        )
    path = out_dir / "hf"
    with atomic_directory(path) as staging:
        datasets.DatasetDict(splits).save_to_disk(str(staging))
    return path
