"""`DataConfig`: everything `spelltune data build` needs, loaded from YAML with `--set` overrides."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spelltune.config import dataclass_from_dict, read_config_with_overrides
from spelltune.errors import ConfigError

CATEGORIES: tuple[str, ...] = (
    "pass_through",
    "typo",
    "homophone",
    "real_word",
    "contraction",
    "dyslexic",
    "split_merge",
    "real_misspelling",
    "case",
)
COMPLEXITIES: tuple[str, ...] = ("simple", "medium", "complex", "dense")

SENTENCE_SOURCE_KINDS = ("embedded", "files", "hf_disk", "hf_hub")
MISSPELLING_SOURCE_KINDS = ("codespell", "mitton", "norvig", "toefl", "feedback")


@dataclass
class SentenceSource:
    """Where clean sentences come from.

    kind: `embedded` (a corpus shipped in the package, `name`), `files` (a .txt/.jsonl file or a
    folder, `path`; `.jsonl` objects' `column` field), `hf_disk` (a `save_to_disk` dataset at `path`)
    or `hf_hub` (a hub dataset `name`); `column` and `split` pick the text in a dataset.
    max_sentences: keep at most this many (a seeded sample), or all when null.
    """

    kind: str = "embedded"
    name: str | None = None
    path: str | None = None
    column: str = "text"
    split: str = "train"
    max_sentences: int | None = None


@dataclass
class MisspellingSource:
    """Where real misspellings come from: `codespell` (the installed dictionary, or `path`),
    `mitton` (a Birkbeck/Holbrook/Aspell/Wikipedia `.dat` file), `norvig` (a test set) or `toefl`
    (TOEFL-Spell's Annotations.tsv) or `feedback` (the fixes a person accepted in `spelltune serve`'s
    editor; `path` defaults to its log). `name` labels the rows (default: derived from the file)."""

    kind: str = "codespell"
    path: str | None = None
    name: str | None = None


@dataclass
class DataConfig:
    """A dataset recipe. Shares are fractions; the category and complexity mixes are normalised."""

    seed: int = 0
    # How many pairs to write in total, over the three splits.
    pairs: int = 20_000
    # Share of the distinct clean sentences held out for validation and for test.
    validation_fraction: float = 0.05
    test_fraction: float = 0.05
    # Share of the real-misspelling words found in the sentences whose errors never appear in train.
    heldout_word_fraction: float = 0.05
    sentences: list[SentenceSource] = field(default_factory=lambda: [SentenceSource("embedded", "everyday-en")])
    misspellings: list[MisspellingSource] = field(default_factory=lambda: [MisspellingSource("codespell")])
    category_mix: dict[str, float] = field(
        default_factory=lambda: {
            "pass_through": 0.15,
            "typo": 0.16,
            "homophone": 0.15,
            "real_word": 0.10,
            "contraction": 0.12,
            "dyslexic": 0.07,
            "split_merge": 0.07,
            "real_misspelling": 0.11,
            "case": 0.07,
        }
    )
    # simple = 1 error; medium = 2-3; complex = 4 or more; dense = `dense_word_error_rate` of the words
    # (at least 4, past max_errors_per_sentence: the drafts of writers who misspell one word in four).
    complexity_mix: dict[str, float] = field(
        default_factory=lambda: {"simple": 0.4, "medium": 0.4, "complex": 0.2}
    )
    # Share of pass-through pairs drawn from sentences holding a confusable word of 4+ letters (their,
    # where, from, week): correct text the model must leave as written although a partner exists.
    pass_through_confusable_share: float = 0.5
    # Share of words corrupted in medium (x1) and complex (x2) sentences, within the bounds above.
    word_error_rate: float = 0.15
    max_errors_per_sentence: int = 6
    # Share of words corrupted in dense sentences (adjacent and short words included).
    dense_word_error_rate: float = 0.25
    # Share of pairs written fully lowercase on both sides (learner text); the target stays correct.
    lowercase_share: float = 0.3
    # Share of a category's extra errors drawn from the same category (the rest from any).
    same_category_share: float = 0.5

    def validate(self) -> None:
        """Raise ConfigError when a value is out of range or names something unknown."""
        if self.pairs < 1:
            raise ConfigError("pairs must be at least 1")
        for name in ("validation_fraction", "test_fraction", "heldout_word_fraction", "lowercase_share",
                     "same_category_share", "pass_through_confusable_share", "word_error_rate",
                     "dense_word_error_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, not {value}")
        if self.validation_fraction + self.test_fraction >= 1.0:
            raise ConfigError("validation_fraction + test_fraction must leave sentences for train")
        if self.max_errors_per_sentence < 1:
            raise ConfigError("max_errors_per_sentence must be at least 1")
        _check_mix("category_mix", self.category_mix, CATEGORIES)
        _check_mix("complexity_mix", self.complexity_mix, COMPLEXITIES)
        if not self.sentences:
            raise ConfigError("sentences: give at least one source of clean sentences")
        for source in self.sentences:
            if source.kind not in SENTENCE_SOURCE_KINDS:
                raise ConfigError(f"sentences: unknown kind {source.kind!r} (one of {', '.join(SENTENCE_SOURCE_KINDS)})")
            if source.kind in ("files", "hf_disk") and not source.path:
                raise ConfigError(f"sentences: kind {source.kind!r} needs a path")
        for source in self.misspellings:
            if source.kind not in MISSPELLING_SOURCE_KINDS:
                raise ConfigError(
                    f"misspellings: unknown kind {source.kind!r} (one of {', '.join(MISSPELLING_SOURCE_KINDS)})"
                )
            if source.kind not in ("codespell", "feedback") and not source.path:
                raise ConfigError(f"misspellings: kind {source.kind!r} needs a path")


def _check_mix(name: str, mix: dict[str, float], known: tuple[str, ...]) -> None:
    unknown = sorted(set(mix) - set(known))
    if unknown:
        raise ConfigError(f"{name}: unknown {', '.join(unknown)} (known: {', '.join(known)})")
    if any(v < 0 for v in mix.values()) or sum(mix.values()) <= 0:
        raise ConfigError(f"{name}: shares must be non-negative and not all zero")


def config_from_dict(data: dict[str, Any], where: str = "config") -> DataConfig:
    """A validated DataConfig from a mapping; unknown keys or wrong types raise ConfigError."""
    defaults = dataclasses.asdict(DataConfig())
    for mix in ("category_mix", "complexity_mix"):
        if mix in data and isinstance(data[mix], dict):  # a partial mix overrides only what it names
            data = {**data, mix: {**defaults[mix], **data[mix]}}
    config = dataclass_from_dict(DataConfig, data, where)
    config.validate()
    return config


def load_data_config(path: Path | str | None, overrides: list[str] | tuple[str, ...] = ()) -> DataConfig:
    """The DataConfig in a YAML file (or the defaults when `path` is None) with `key=value` overrides."""
    data = read_config_with_overrides(path, overrides)
    where = str(path) if path is not None else "config"
    return config_from_dict(data, where)
