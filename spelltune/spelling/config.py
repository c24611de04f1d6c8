"""`SpellingConfig`: how the spelling dataset is built and evaluated; YAML with `--set key=value` overrides."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spelltune.config import dataclass_from_dict, read_config_with_overrides
from spelltune.errors import ConfigError

EMBEDDED_WORDS = "embedded"


@dataclass
class SpellingConfig:
    """The dataset recipe. Counts of questions are per question type (letter count, letter position)."""

    # Tokenizer spec (preset, hub id, local dir, run dir) whose letters-only tokens are spelled in train.
    tokenizer: str = "smollm2-135m"
    # A word list file (one word a line) for validation/test words, or "embedded" (pyspellchecker's English list).
    words: str = EMBEDDED_WORDS
    seed: int = 0
    # Spelling examples in train; null: one per distinct token word.
    train_examples: int | None = None
    validation_per_type: int = 200
    test_per_type: int = 500
    # Word length bins (lower bounds, inclusive); each bin gets the same share of validation/test words.
    length_bins: list[int] = field(default_factory=lambda: [4, 6, 8, 10, 12])
    max_word_length: int = 15
    # Share of letter-count questions that ask about a letter absent from the word (answer 0).
    absent_letter_share: float = 0.15
    # Share of the other count questions that ask about a letter the word repeats (when it has one).
    repeated_letter_share: float = 0.5

    def validate(self) -> None:
        """Raise ConfigError on values out of range."""
        if self.validation_per_type < 1 or self.test_per_type < 1:
            raise ConfigError("validation_per_type and test_per_type must be at least 1")
        if self.train_examples is not None and self.train_examples < 1:
            raise ConfigError(f"train_examples must be at least 1 or null, not {self.train_examples}")
        if not self.length_bins or sorted(self.length_bins) != self.length_bins or self.length_bins[0] < 2:
            raise ConfigError(f"length_bins must be increasing lower bounds >= 2, not {self.length_bins}")
        if self.max_word_length < self.length_bins[-1]:
            raise ConfigError("max_word_length must be at least the last length bin")
        if not 0.0 <= self.absent_letter_share < 1.0:
            raise ConfigError(f"absent_letter_share must be in [0, 1), not {self.absent_letter_share}")
        if not 0.0 <= self.repeated_letter_share <= 1.0:
            raise ConfigError(f"repeated_letter_share must be in [0, 1], not {self.repeated_letter_share}")
        if not self.tokenizer.strip():
            raise ConfigError("tokenizer: give a tokenizer or model spec such as smollm2-135m")

    def to_dict(self) -> dict[str, Any]:
        """The config as plain data (written beside the dataset)."""
        return dataclasses.asdict(self)


def config_from_dict(data: dict[str, Any], where: str = "spelling config") -> SpellingConfig:
    """A validated SpellingConfig from a mapping; unknown keys or wrong types raise ConfigError."""
    config = dataclass_from_dict(SpellingConfig, data, where)
    config.validate()
    return config


def load_spelling_config(path: Path | str | None, overrides: list[str] | tuple[str, ...] = ()) -> SpellingConfig:
    """The config in a YAML file (defaults when None) with `key=value` overrides applied (values parse as YAML)."""
    data = read_config_with_overrides(path, overrides)
    return config_from_dict(data, str(path) if path is not None else "spelling config")
