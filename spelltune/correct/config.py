"""One typed config for the whole corrector: engine, generation, guard and second pass.

`spelltune fix --config FILE --set guard.min_edit_similarity=0.6` (and `eval`, `serve`) read it; the
shipped preset is configs/correct/default.yaml. Every threshold the corrector uses is a field here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from spelltune.config import dataclass_from_dict, read_config_with_overrides
from spelltune.correct.guard import GuardConfig
from spelltune.correct.rescore import RescoreSettings


@dataclass
class EngineSettings:
    """Which engine runs the model and how (see `spelltune engines`)."""

    name: str = "auto"  # auto (the fastest installed that runs the model), torch, ctranslate2, ...
    # ctranslate2 only: float32 keeps torch's answers; int8 is faster and may change some.
    compute_type: str = "default"
    device: str | None = None  # cpu, cuda, cuda:1, mps; None picks the best available
    dtype: str = "auto"  # auto (bf16 on capable GPUs, else fp32), float32, bfloat16, float16
    batch_size: int = 16  # pieces generated together; changing it never reloads the model
    # Let a model run Python code shipped with it (`fix --trust-remote-code`); off, such a model is refused.
    trust_remote_code: bool = False


@dataclass
class GenerationSettings:
    """How the model generates: greedy, with a length budget relative to the input."""

    # New-token budget per piece: input tokens * length_factor + length_margin, capped at max_new_tokens.
    length_factor: float = 1.5
    length_margin: int = 8
    max_new_tokens: int = 256
    # Words per piece; longer lines are split at sentence and clause ends (nothing is truncated).
    max_words_per_piece: int = 40


@dataclass
class CorrectorConfig:
    """Everything that decides what the language-model corrector does with a line."""

    engine: EngineSettings = field(default_factory=EngineSettings)
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    guard: GuardConfig = field(default_factory=GuardConfig)
    # Misspellings left after the guard: dictionary candidates scored by the model in context.
    rescore: RescoreSettings = field(default_factory=RescoreSettings)


def load_corrector_config(path: Path | str | None = None, overrides: list[str] | tuple[str, ...] = ()) -> CorrectorConfig:
    """The corrector config from a YAML file (or the defaults) with `key=value` overrides applied."""
    data = read_config_with_overrides(path, overrides)
    return dataclass_from_dict(CorrectorConfig, data, where=str(path) if path else "corrector config")
