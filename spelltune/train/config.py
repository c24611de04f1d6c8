"""`TrainConfig`: everything `spelltune train` needs, loaded from YAML with `--set key=value` overrides.

The sections mirror what a user tunes: the model and method, the LoRA adapter, the data, validation
while training, and the optimisation/hardware knobs. A YAML file only names what differs from here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spelltune.config import dataclass_from_dict, read_config_with_overrides
from spelltune.errors import ConfigError

METHODS = ("lora", "full", "qlora")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# padded: pad each batch to its longest row; length_grouped: padded, but batches of similar lengths
# (little padding, any attention); padding_free: rows concatenated without padding (TRL); packing:
# rows packed best-fit into max_length blocks (TRL `bfd`, padding-free too).
BATCHING = ("padded", "length_grouped", "padding_free", "packing")
SCHEDULERS = ("constant", "constant_with_warmup", "linear", "cosine", "cosine_with_min_lr", "warmup_stable_decay")
# Validation numbers a run can be steered by; `loss` is the only one where lower is better.
VALIDATION_METRICS = ("exact_match", "exact_match_guarded", "loss", "letter_accuracy", "letter_count", "letter_position")
ALL_PROJECTIONS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass
class LoraSettings:
    """The LoRA adapter (also QLoRA's): rank, scale, dropout and the modules it wraps."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    # Module names, or ["all-linear"] for every linear layer but the output head.
    target_modules: list[str] = field(default_factory=lambda: list(ALL_PROJECTIONS))


@dataclass
class DataSettings:
    """Where the pairs come from.

    path: a folder written by `spelltune data build` (train.jsonl, validation.jsonl), or a data config
    YAML built into RUN_DIR/data on the fly (with `overrides`, e.g. ["pairs=2000"]).
    """

    path: str = "configs/data/quick.yaml"
    overrides: list[str] = field(default_factory=list)
    # Use at most this many training pairs (a seeded sample), or all when null.
    max_train_pairs: int | None = None


@dataclass
class ValidationSettings:
    """Validation while training: loss and greedy sentence exact match on a validation sample."""

    every_steps: int = 200  # 0 turns validation off
    loss_pairs: int = 256  # validation pairs for the loss
    exact_match_pairs: int = 64  # validation pairs generated greedily for sentence exact match
    batch_size: int = 16
    # Stop after this many validations without a better exact match; null never stops early.
    early_stopping_patience: int | None = None
    # Stop as soon as validation exact match reaches this share (0-1); null never stops on it.
    target_accuracy: float | None = None
    on_start: bool = False  # validate the untrained model too (a baseline point on the curve)
    # Letter-count and letter-position questions per kind from the data folder's validation.jsonl, asked
    # with the spelling study's evaluation prompt (spelltune.spelling.validation); 0 turns them off.
    letter_questions_per_type: int = 0
    # The validation number early stopping, target_accuracy and keep_best go by (see VALIDATION_METRICS).
    metric: str = "exact_match"
    # Keep the checkpoint with the best `metric` instead of the last (needs save_every_steps to be a
    # multiple of every_steps, so every validation has a checkpoint to go back to).
    keep_best: bool = False


@dataclass
class TrainConfig:
    """A training recipe. Steps are optimizer steps; batch size is per device."""

    # A model spec resolved by spelltune.models.load_model: preset, hub id, local dir.
    model: str = "smollm2-135m"
    method: str = "lora"  # lora | full | qlora (QLoRA needs CUDA and bitsandbytes)
    lora: LoraSettings = field(default_factory=LoraSettings)
    data: DataSettings = field(default_factory=DataSettings)
    eval: ValidationSettings = field(default_factory=ValidationSettings)

    seed: int = 0
    epochs: float = 1.0
    max_steps: int = -1  # > 0 overrides epochs; keeps the LR schedule fixed across a resume
    max_minutes: float | None = None  # wall-clock budget: save and stop when reached
    batch_size: int = 8
    grad_accum: int = 1
    lr: float = 2e-4
    lr_scheduler: str = "cosine"
    warmup_ratio: float = 0.03
    weight_decay: float = 0.0
    max_grad_norm: float = 1.0
    max_length: int = 256  # tokens per example (prompt + correction); longer ones are truncated

    device: str = "auto"  # auto | cpu | cuda | mps
    precision: str = "auto"  # auto: bf16 where supported, fp16 on older GPUs, fp32 on the CPU
    tf32: bool = True  # TF32 matmuls on Ampere+ GPUs; ignored elsewhere
    attention: str = "sdpa"  # sdpa | eager | flash_attention_2 | kernels-community/...
    gradient_checkpointing: bool = False  # trades ~30% more compute for much less activation memory
    batching: str = "length_grouped"
    num_workers: int = 0  # data loader worker processes
    threads: int | None = None  # torch CPU threads; null leaves torch's default

    save_every_steps: int = 200  # safetensors checkpoints in RUN_DIR/checkpoints
    save_total_limit: int | None = 2
    logging_steps: int = 10
    # Trackers besides the local metrics.jsonl and PNG: tensorboard (when installed), wandb, mlflow, ...
    # ["auto"] means TensorBoard if it is installed, else none.
    report_to: list[str] = field(default_factory=lambda: ["auto"])

    def validate(self) -> None:
        """Raise ConfigError when a value is out of range or names something unknown."""
        _one_of("method", self.method, METHODS)
        _one_of("precision", self.precision, PRECISIONS)
        _one_of("batching", self.batching, BATCHING)
        _one_of("lr_scheduler", self.lr_scheduler, SCHEDULERS)
        if not self.model.strip():
            raise ConfigError("model: give a model spec such as smollm2-135m")
        positive = {"batch_size": self.batch_size, "grad_accum": self.grad_accum, "max_length": self.max_length,
                    "lora.r": self.lora.r, "lora.alpha": self.lora.alpha, "save_every_steps": self.save_every_steps,
                    "logging_steps": self.logging_steps, "eval.batch_size": self.eval.batch_size}
        for name, value in positive.items():
            if value < 1:
                raise ConfigError(f"{name} must be at least 1, not {value}")
        if self.lr <= 0:
            raise ConfigError(f"lr must be positive, not {self.lr}")
        if self.max_steps <= 0 and self.epochs <= 0:
            raise ConfigError("give epochs > 0 or max_steps > 0")
        for name, value in (("warmup_ratio", self.warmup_ratio), ("lora.dropout", self.lora.dropout)):
            if not 0.0 <= value < 1.0:
                raise ConfigError(f"{name} must be in [0, 1), not {value}")
        if self.eval.target_accuracy is not None and not 0.0 < self.eval.target_accuracy <= 1.0:
            raise ConfigError(f"eval.target_accuracy is a share in (0, 1], not {self.eval.target_accuracy}")
        if self.eval.every_steps < 0 or self.eval.exact_match_pairs < 0 or self.eval.loss_pairs < 0:
            raise ConfigError("eval.every_steps, eval.loss_pairs and eval.exact_match_pairs must not be negative")
        _one_of("eval.metric", self.eval.metric, VALIDATION_METRICS)
        if self.eval.letter_questions_per_type < 0:
            raise ConfigError("eval.letter_questions_per_type must not be negative")
        if self.eval.metric.startswith("letter_") and self.eval.letter_questions_per_type == 0:
            raise ConfigError(f"eval.metric {self.eval.metric} needs eval.letter_questions_per_type > 0")
        if self.eval.keep_best:
            if self.eval.every_steps == 0:
                raise ConfigError("eval.keep_best needs validation: set eval.every_steps > 0")
            if self.save_every_steps % self.eval.every_steps:
                raise ConfigError(f"eval.keep_best needs save_every_steps ({self.save_every_steps}) to be a multiple "
                                  f"of eval.every_steps ({self.eval.every_steps})")
        stops_on_accuracy = self.eval.early_stopping_patience is not None or self.eval.target_accuracy is not None
        if stops_on_accuracy and self.eval.every_steps == 0:
            raise ConfigError("early stopping and target_accuracy need eval.every_steps > 0")
        if stops_on_accuracy and self.eval.metric.startswith("exact_match") and self.eval.exact_match_pairs == 0:
            raise ConfigError(f"early stopping on {self.eval.metric} needs eval.exact_match_pairs > 0")
        if self.eval.target_accuracy is not None and self.eval.metric == "loss":
            raise ConfigError("eval.target_accuracy is a share of right answers; it cannot apply to eval.metric loss")
        if self.max_minutes is not None and self.max_minutes <= 0:
            raise ConfigError(f"max_minutes must be positive, not {self.max_minutes}")
        if not self.lora.target_modules:
            raise ConfigError("lora.target_modules: name at least one module, or all-linear")

    def to_dict(self) -> dict[str, Any]:
        """The config as plain data, the way it is saved to RUN_DIR/config.yaml."""
        return dataclasses.asdict(self)


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(f"{name}: unknown value {value!r} (one of {', '.join(allowed)})")


def config_from_dict(data: dict[str, Any], where: str = "config") -> TrainConfig:
    """A validated TrainConfig from a mapping; unknown keys or wrong types raise ConfigError."""
    config = dataclass_from_dict(TrainConfig, data, where)
    config.validate()
    return config


def load_train_config(path: Path | str | None, overrides: list[str] | tuple[str, ...] = ()) -> TrainConfig:
    """The TrainConfig in a YAML file (or the defaults when `path` is None) with `key=value` overrides.

    Relative `data.path` values are taken relative to the working directory, as on the command line.
    """
    data = read_config_with_overrides(path, overrides)
    return config_from_dict(data, str(path) if path is not None else "config")


def save_train_config(config: TrainConfig, path: Path) -> None:
    """Write the config as used, so `spelltune train RUN_DIR/config.yaml` repeats the run."""
    import yaml

    path.write_text(yaml.safe_dump(config.to_dict(), sort_keys=False), encoding="utf-8")
