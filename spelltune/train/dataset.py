"""Correction pairs on disk -> prompt/completion rows in the one shared prompt format.

The trainer sees `prompt` and `completion` strings from `spelltune.prompt.build_training_example`, so
TRL masks every prompt position and the loss falls on the corrected text (and its end-of-turn) only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spelltune.errors import ConfigError, DataFormatError
from spelltune.jsonl import read_jsonl_objects
from spelltune.prompt import TrainingExample, build_training_example
from spelltune.train.config import DataSettings

SPLIT_FILES = {"train": "train.jsonl", "validation": "validation.jsonl"}


@dataclass(frozen=True)
class Pair:
    """One correction pair as the data stage wrote it."""

    input: str
    output: str
    category: str = ""
    # Rows from other stages (the spelling study) may carry their own rendered prompt and completion.
    prompt: str | None = None
    completion: str | None = None


@dataclass
class TrainingData:
    """The pairs a run trains and validates on, and the folder they came from (for the model card)."""

    train: list[Pair]
    validation: list[Pair]
    data_dir: Path


def resolve_data_dir(settings: DataSettings, run_dir: Path) -> Path:
    """The dataset folder: `settings.path` itself, or RUN_DIR/data built from a data config YAML."""
    path = Path(settings.path).expanduser()
    if path.is_dir():
        if settings.overrides:
            raise ConfigError(f"data.overrides apply to a data config YAML, but {path} is a dataset folder")
        return path
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return build_data_into_run(path, settings.overrides, run_dir / "data")
    raise ConfigError(
        f"data.path {settings.path!r}: expected a folder from `spelltune data build` or a data config YAML"
    )


def build_data_into_run(config_path: Path, overrides: list[str], out_dir: Path) -> Path:
    """Build the dataset a data config describes into `out_dir` (skipped when it is already there)."""
    from spelltune.data.build import build_dataset
    from spelltune.data.config import load_data_config

    data_config = load_data_config(config_path, overrides)
    if all((out_dir / name).is_file() for name in SPLIT_FILES.values()):
        return out_dir
    build_dataset(data_config, out_dir)
    return out_dir


def read_pairs(path: Path) -> list[Pair]:
    """The pairs in one JSONL split file; DataFormatError names the first bad line."""
    pairs = []
    for number, row in read_jsonl_objects(path, "build the dataset with `spelltune data build`"):
        if not isinstance(row.get("input"), str) or not isinstance(row.get("output"), str):
            raise DataFormatError(f"{path}:{number}: expected a JSON object with 'input' and 'output'")
        prompt, completion = row.get("prompt"), row.get("completion")
        own_format = isinstance(prompt, str) and isinstance(completion, str)
        pairs.append(
            Pair(
                row["input"],
                row["output"],
                str(row.get("category", "")),
                prompt if own_format else None,
                completion if own_format else None,
            )
        )
    if not pairs:
        raise DataFormatError(f"{path} holds no pairs")
    return pairs


def load_training_data(settings: DataSettings, run_dir: Path, seed: int) -> TrainingData:
    """Train and validation pairs for a run, the train set sampled down to `max_train_pairs` if set."""
    data_dir = resolve_data_dir(settings, run_dir)
    train = read_pairs(data_dir / SPLIT_FILES["train"])
    validation = read_pairs(data_dir / SPLIT_FILES["validation"])
    if settings.max_train_pairs is not None and settings.max_train_pairs < len(train):
        train = random.Random(seed).sample(train, settings.max_train_pairs)
    return TrainingData(train=train, validation=validation, data_dir=data_dir)


def sample_pairs(pairs: list[Pair], count: int, seed: int) -> list[Pair]:
    """A seeded sample of `count` pairs (all of them when there are fewer), in a stable order."""
    if count >= len(pairs):
        return list(pairs)
    return random.Random(seed).sample(pairs, count)


def training_example(pair: Pair, tokenizer: Any) -> TrainingExample:
    """The pair's own prompt and completion when it has them, else the shared correction format."""
    if pair.prompt is not None and pair.completion is not None:
        return TrainingExample(prompt=pair.prompt, completion=pair.completion)
    return build_training_example(tokenizer, pair.input, pair.output)


def to_prompt_completion(pairs: list[Pair], tokenizer: Any) -> Any:
    """A `datasets.Dataset` with the `prompt` and `completion` columns SFTTrainer trains on."""
    from datasets import Dataset

    rows = {"prompt": [], "completion": []}
    for pair in pairs:
        example = training_example(pair, tokenizer)
        rows["prompt"].append(example.prompt)
        rows["completion"].append(example.completion)
    return Dataset.from_dict(rows)


def drop_long_pairs(pairs: list[Pair], tokenizer: Any, max_length: int) -> tuple[list[Pair], int]:
    """The pairs whose prompt + completion fit in `max_length` tokens, and how many did not.

    Dropping beats truncating: a cut-off completion teaches nothing and, padding-free, TRL does not
    truncate at all.
    """
    examples = [training_example(pair, tokenizer) for pair in pairs]
    prompt_lengths = [len(ids) for ids in tokenizer([e.prompt for e in examples], add_special_tokens=False).input_ids]
    completion_lengths = [
        len(ids) for ids in tokenizer([e.completion for e in examples], add_special_tokens=False).input_ids
    ]
    kept = [p for p, a, b in zip(pairs, prompt_lengths, completion_lengths) if a + b <= max_length]
    return kept, len(pairs) - len(kept)
