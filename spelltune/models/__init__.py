"""Model specs: presets, hub ids, local directories and GGUF files, resolved to loaded models."""

from spelltune.models.loading import LoadedModel, ResolvedSpec, load_model, resolve_model_spec
from spelltune.models.presets import EMBEDDED_DEFAULT, PRESETS, ModelPreset, default_model_spec

__all__ = [
    "EMBEDDED_DEFAULT",
    "PRESETS",
    "LoadedModel",
    "ModelPreset",
    "ResolvedSpec",
    "default_model_spec",
    "load_model",
    "resolve_model_spec",
]
