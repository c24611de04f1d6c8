"""Model specs: presets, hub ids, local directories and GGUF files, resolved to loaded models."""

from spelltune.models.loading import LoadedModel, ResolvedSpec, load_model, resolve_model_spec
from spelltune.models.presets import DEFAULT_MODEL_SPEC, EMBEDDED_DEFAULT, PRESETS, ModelPreset

__all__ = [
    "DEFAULT_MODEL_SPEC",
    "EMBEDDED_DEFAULT",
    "PRESETS",
    "LoadedModel",
    "ModelPreset",
    "ResolvedSpec",
    "load_model",
    "resolve_model_spec",
]
