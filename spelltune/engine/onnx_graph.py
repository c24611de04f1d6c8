"""The graph the `onnx` engine runs: a causal LM as one decoder step over explicit KV-cache tensors.

`spelltune export --to onnx` traces this module; spelltune/engine/onnx_engine.py feeds the result.
Inputs: `input_ids`, `attention_mask` (past + new positions), `position_ids`, `past_keys` and
`past_values` (layers x batch x kv heads x past x head dim). Outputs: `logits`, `present_keys`,
`present_values` (the past plus the new positions).
"""

from __future__ import annotations

from typing import Any


def cache_shape(config: Any) -> dict[str, int]:
    """Layers, KV heads and head size of a decoder's cache, from its config."""
    heads = config.num_attention_heads
    return {"layers": config.num_hidden_layers, "kv_heads": getattr(config, "num_key_value_heads", None) or heads,
            "head_dim": getattr(config, "head_dim", None) or config.hidden_size // heads}


def _decoder_step_class():
    import torch

    class _DecoderStep(torch.nn.Module):
        """A causal LM as one step over explicit cache tensors (what the ONNX graph computes)."""

        def __init__(self, model: Any):
            super().__init__()
            self.model = model
            self.layers = model.config.num_hidden_layers

        def forward(self, input_ids, attention_mask, position_ids, past_keys, past_values):
            from transformers import DynamicCache

            cache = DynamicCache(config=self.model.config)
            for layer in range(self.layers):
                cache.update(past_keys[layer], past_values[layer], layer)
            output = self.model(input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids,
                                past_key_values=cache, use_cache=True)
            present = output.past_key_values
            keys = torch.stack([present.layers[layer].keys for layer in range(self.layers)])
            values = torch.stack([present.layers[layer].values for layer in range(self.layers)])
            return output.logits, keys, values

    return _DecoderStep


def DecoderStep(model: Any) -> Any:  # noqa: N802 - reads as the class it builds
    """Wrap a transformers causal LM as the decoder-step module the ONNX graph is exported from."""
    return _decoder_step_class()(model)
