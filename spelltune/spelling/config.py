"""`SpellingConfig`: how the spelling dataset is built and evaluated; YAML with `--set key=value` overrides."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _convert(name: str, value: Any, hint: Any) -> Any:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) is not None and type(None) in typing.get_args(hint):
        if value is None:
            return None
        hint = args[0]
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(f"{name}: expected a list, got {value!r}")
        return [_convert(f"{name}[{i}]", v, item) for i, v in enumerate(value)]
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    if hint is int and type(value) is int:
        return value
    raise ConfigError(f"{name}: expected {getattr(hint, '__name__', hint)}, got {value!r}")


def config_from_dict(data: dict[str, Any], where: str = "spelling config") -> SpellingConfig:
    """A validated SpellingConfig from a mapping; unknown keys or wrong types raise ConfigError."""
    hints = typing.get_type_hints(SpellingConfig)
    names = [f.name for f in dataclasses.fields(SpellingConfig)]
    unknown = sorted(set(map(str, data)) - set(names))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(names)}")
    config = SpellingConfig(**{k: _convert(k, v, hints[k]) for k, v in data.items()})
    config.validate()
    return config


def load_spelling_config(path: Path | str | None, overrides: list[str] | tuple[str, ...] = ()) -> SpellingConfig:
    """The config in a YAML file (defaults when None) with `key=value` overrides applied (values parse as YAML)."""
    import yaml

    data: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"{path}: no such config file")
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ConfigError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"{path}: expected a mapping of config keys")
        data = loaded or {}
    for assignment in overrides:
        key, equals, raw = assignment.partition("=")
        if not equals or not key.strip():
            raise ConfigError(f"--set {assignment!r}: expected key=value")
        try:
            data[key.strip()] = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise ConfigError(f"--set {assignment!r}: the value is not valid YAML") from None
    return config_from_dict(data, str(path) if path is not None else "spelling config")
