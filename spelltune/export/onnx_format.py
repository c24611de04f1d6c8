"""`--to onnx`: one decoder step graph with a KV cache, exported by torch.onnx's dynamo exporter.

The graph takes `input_ids`, `attention_mask` (past + new positions), `position_ids` and the past keys
and values stacked per layer (`past_keys`, `past_values`: layers x batch x kv heads x past x head dim),
and returns `logits` and the keys and values including the new positions. Batch, sequence and past
length are dynamic. The first call gets a past of one masked slot (a zero-length past would be a
special case the exporter specializes on), so one graph serves prefill and every decoding step.
spelltune's `onnx` engine (spelltune/engine/onnx_engine.py) runs the folder through onnxruntime.
"""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from spelltune.errors import ExportError

MODEL_FILE = "model.onnx"
MANIFEST = "spelltune_onnx.json"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja",
                   "generation_config.json")
INPUTS = ("input_ids", "attention_mask", "position_ids", "past_keys", "past_values")
OUTPUTS = ("logits", "present_keys", "present_values")
# Above this many parameters the weights go to an external data file (a protobuf is at most 2 GB).
EXTERNAL_DATA_PARAMETERS = 400_000_000


def write_onnx(model_dir: Path, out_dir: Path, quant: str | None) -> list[Path]:
    """Export `model_dir` to `out_dir/model.onnx` (float32, or int8 dynamic quantization) with its tokenizer."""
    import torch
    from transformers import AutoModelForCausalLM

    quant = quant or "float32"
    if quant not in ("float32", "int8"):
        raise ExportError(f"--to onnx has no quantization '{quant}': use float32 or int8")
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    model = AutoModelForCausalLM.from_pretrained(str(model_dir), dtype=torch.float32, attn_implementation="sdpa").eval()
    shape = cache_shape(model.config)
    parameters = sum(parameter.numel() for parameter in model.parameters())
    target = out_dir / MODEL_FILE
    float_target = out_dir / "model.float32.onnx" if quant == "int8" else target
    step = DecoderStep(model)
    batch, sequence, past = 2, 5, 3  # sizes above 1 so the exporter keeps them symbolic
    example = (torch.ones(batch, sequence, dtype=torch.long), torch.ones(batch, past + sequence, dtype=torch.long),
               torch.arange(past, past + sequence).expand(batch, -1).contiguous(),
               torch.zeros(shape["layers"], batch, shape["kv_heads"], past, shape["head_dim"]),
               torch.zeros(shape["layers"], batch, shape["kv_heads"], past, shape["head_dim"]))
    dims = {name: torch.export.Dim(name) for name in ("batch", "sequence", "past", "total")}
    dynamic = {"input_ids": {0: dims["batch"], 1: dims["sequence"]},
               "attention_mask": {0: dims["batch"], 1: dims["total"]},
               "position_ids": {0: dims["batch"], 1: dims["sequence"]},
               "past_keys": {1: dims["batch"], 3: dims["past"]}, "past_values": {1: dims["batch"], 3: dims["past"]}}
    try:
        with torch.no_grad(), _quiet_exporter():
            torch.onnx.export(step, example, str(float_target), dynamo=True, dynamic_shapes=dynamic,
                              input_names=list(INPUTS), output_names=list(OUTPUTS),
                              external_data=parameters > EXTERNAL_DATA_PARAMETERS, verbose=False)
    except Exception as error:  # noqa: BLE001 - the exporter fails in many ways for unsupported models
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ExportError(f"torch.onnx could not export {model_dir}: {first[:300]}") from None
    if quant == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(float_target), str(target), weight_type=QuantType.QInt8)
        for path in out_dir.glob("model.float32.onnx*"):
            path.unlink()
    for name in TOKENIZER_FILES:
        if (model_dir / name).is_file():
            shutil.copy2(model_dir / name, out_dir / name)
    shutil.copy2(model_dir / "config.json", out_dir / "model_config.json")
    manifest = {"format": "spelltune-onnx-decoder-step", "version": 1, "quant": quant, "inputs": list(INPUTS),
                "outputs": list(OUTPUTS), "parameters": parameters, **shape}
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return sorted(path for path in out_dir.iterdir() if path.is_file())


@contextmanager
def _quiet_exporter():
    """The exporter prints its stages on stdout and warns about torchvision ops: keep the CLI's output clean."""
    import io
    import logging
    import warnings
    from contextlib import redirect_stdout

    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


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
