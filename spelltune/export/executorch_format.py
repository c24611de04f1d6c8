"""`spelltune export --to executorch`: an XNNPACK-lowered ExecuTorch program (`model.pte`) for Android/iOS apps.

The program is the model with a static KV cache inside it (transformers' ExecuTorch recipe,
`TorchExportableModuleForDecoderOnlyLM`): `forward(tokens[1, n], input_pos[n]) -> logits[1, n, vocab]`,
n from 1 to `max_seq_len`. A call whose first position is 0 starts a new text; later calls append to the
cache (prefill the prompt in one call, then one token per call). The program also answers the metadata
methods ExecuTorch's LLM runner reads (`get_max_seq_len`, `get_eos_ids`, `use_kv_cache`, ...).

Beside it: the tokenizer files and `executorch.json` (inputs, max sequence length, EOS ids, and the check
that loaded the `.pte` with ExecuTorch's Python runtime and compared its logits with the PyTorch model's).
int8 is torchao's int8 weights (per output channel) with dynamic int8 activations on every linear layer,
which XNNPACK runs as int8 GEMMs (see `quantize_int8` for why not weight-only).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from spelltune.errors import ExportError
from spelltune.export.mobile_common import (
    check_model_dir,
    copy_tokenizer_files,
    eos_token_ids,
    load_reference_model,
    max_abs_diff,
    normalise_quant,
    reference_logits,
    same_greedy_tokens,
    write_json,
)

PROGRAM_FILE = "model.pte"
METADATA_FILE = "executorch.json"
DEFAULT_MAX_SEQ_LEN = 512  # a correction prompt for one long sentence plus its answer fits


def write_executorch(model_dir: Path, out_dir: Path, quant: str | None = None, *,
                     max_seq_len: int = DEFAULT_MAX_SEQ_LEN, verify: bool = True) -> list[Path]:
    """Write `model.pte` (XNNPACK, float32 or int8 weights), the tokenizer and `executorch.json` into `out_dir`.

    `model_dir` is a merged Hugging Face model directory; `out_dir` an existing (empty) folder. With
    `verify`, the program is loaded with `executorch.runtime` and its logits on the check prompt compared
    with the float32 PyTorch model's; the result (max |Δlogit|, same greedy tokens) goes into the JSON.
    Returns the files written.
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    quant = normalise_quant("executorch", quant)
    check_model_dir(model_dir)
    if max_seq_len < 2:
        raise ExportError(f"--to executorch needs a max sequence length of at least 2, not {max_seq_len}")
    _require_executorch()

    import torch

    started = time.perf_counter()
    model, tokenizer = load_reference_model(model_dir)
    reference = reference_logits(model, tokenizer, max_seq_len) if verify else None
    eos_ids = eos_token_ids(model, tokenizer)
    if quant == "int8":
        quantize_int8(model)
    with torch.no_grad():
        program = _lower(model, max_seq_len, _constant_methods(model, tokenizer, max_seq_len, eos_ids))
    program_path = out_dir / PROGRAM_FILE
    with open(program_path, "wb") as handle:
        program.write_to_file(handle)
    del program, model
    lowering_seconds = time.perf_counter() - started

    written = [program_path, *copy_tokenizer_files(model_dir, out_dir)]
    check = verify_program(program_path, reference) if reference is not None else None
    written.append(write_json(out_dir / METADATA_FILE,
                              _metadata(tokenizer, quant, max_seq_len, eos_ids, check, lowering_seconds)))
    return written


def quantize_int8(model: Any) -> None:
    """int8 weights (symmetric, one scale per output channel) on every nn.Linear, in place (torchao).

    The weights are int8 with dynamically quantized int8 activations (torchao's
    Int8DynamicActivationIntxWeightConfig, ExecuTorch's "8da8w"): XNNPACK runs these linears as int8
    GEMMs, and the lowered program gives the quantized PyTorch model's logits (|Δ| 4e-7 on the tiny test
    model). Weight-only int8 (IntxWeightOnlyConfig) is not used: with executorch 1.5.1 and torchao 0.18
    its XNNPACK lowering gave logits 1.4 (without the LM head) to 2083 (with it) away from the
    quantized PyTorch model on the same tiny model, while that model itself was within 0.008.
    """
    import torch
    from torchao.quantization import Int8DynamicActivationIntxWeightConfig, quantize_
    from torchao.quantization.granularity import PerAxis

    # A tied LM head shares its weight with the embedding: untie it so only the linear copy is quantized.
    if getattr(model.config, "tie_word_embeddings", False) and hasattr(model, "lm_head"):
        model.lm_head.weight = torch.nn.Parameter(model.lm_head.weight.detach().clone(), requires_grad=False)
    quantize_(model, Int8DynamicActivationIntxWeightConfig(weight_dtype=torch.int8, weight_granularity=PerAxis(0)),
              filter_fn=lambda module, _name: isinstance(module, torch.nn.Linear))


def verify_program(program_path: Path, reference: Any, incremental_steps: int = 8) -> dict[str, Any]:
    """Run the `.pte` with ExecuTorch's runtime against the PyTorch logits on the reference prompt.

    Two ways: the whole prompt in one call (prefill), and the prompt's first part in one call followed by
    its last `incremental_steps` tokens one per call, which only agrees when the KV cache inside the
    program carries the earlier positions. Reports max |Δlogit| of each and whether the greedy tokens agree.
    """
    import torch
    from executorch.runtime import Runtime

    method = Runtime.get().load_program(program_path).load_method("forward")
    token_ids = reference.token_ids
    started = time.perf_counter()
    prefill = method.execute([torch.tensor([token_ids], dtype=torch.long),
                              torch.arange(len(token_ids), dtype=torch.long)])[0]
    seconds = time.perf_counter() - started

    split = max(1, len(token_ids) - incremental_steps)
    pieces = [method.execute([torch.tensor([token_ids[:split]], dtype=torch.long),
                              torch.arange(split, dtype=torch.long)])[0][0]]
    for position in range(split, len(token_ids)):
        step = method.execute([torch.tensor([[token_ids[position]]], dtype=torch.long),
                               torch.tensor([position], dtype=torch.long)])[0]
        pieces.append(step[0])
    incremental = torch.cat(pieces, dim=0)
    return {
        "runtime": "executorch.runtime (Python bindings, XNNPACK)",
        "prompt": reference.prompt,
        "prompt_tokens": len(token_ids),
        "max_abs_logit_diff": max_abs_diff(reference.logits, prefill),
        "same_greedy_tokens": same_greedy_tokens(reference.logits, prefill),
        "incremental_tokens": len(token_ids) - split,
        "max_abs_logit_diff_incremental": max_abs_diff(reference.logits, incremental),
        "same_greedy_tokens_incremental": same_greedy_tokens(reference.logits, incremental),
        "prefill_seconds": round(seconds, 4),
    }


def _require_executorch() -> None:
    try:
        import executorch.exir  # noqa: F401
        from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner  # noqa: F401
    except ImportError as error:
        raise ExportError(f"--to executorch needs executorch ({error}): pip install 'spelltune[executorch]'") from None


def _constant_methods(model: Any, tokenizer: Any, max_seq_len: int, eos_ids: list[int]) -> dict[str, Any]:
    # The names ExecuTorch's LLM runner (extension/llm/runner) asks a program for.
    bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else model.config.bos_token_id
    return {
        "get_max_seq_len": max_seq_len,
        "get_max_context_len": max_seq_len,
        "get_vocab_size": int(model.config.vocab_size),
        "get_bos_id": int(bos) if bos is not None else -1,
        "get_eos_ids": eos_ids,
        "use_kv_cache": True,
        "use_sdpa_with_kv_cache": False,
        "enable_dynamic_shape": True,
    }


class StaticCacheLM:
    """Factory of the exported module: the model plus a static KV cache held in registered buffers."""

    @staticmethod
    def build(model: Any, max_seq_len: int) -> Any:
        """An nn.Module `forward(tokens[1, n], input_pos[n]) -> logits[1, n, vocab]` with its cache inside.

        transformers' own recipe (TorchExportableModuleWithStaticCache) reaches the cache tensors through
        a plain attribute as well as through its buffers; torch.export then lifts each tensor twice (as a
        buffer and as a constant), and ExecuTorch's lowering fails on the aliased, mutated inputs
        ("expected compiled_fn to be GraphModule", torch 2.13, transformers 5.23). Here each cache layer is
        pointed at the module's (traced) buffers at the start of every call, so each tensor is one input.
        """
        import torch
        from transformers.cache_utils import StaticCache, StaticLayer
        from transformers.configuration_utils import get_head_shapes

        config = model.config.get_text_config()
        cache = StaticCache(max_cache_len=max_seq_len, config=config)
        if not all(type(layer) is StaticLayer for layer in cache.layers):
            kinds = sorted({type(layer).__name__ for layer in cache.layers})
            raise ExportError(f"--to executorch supports full-attention models only (cache layers: {', '.join(kinds)})")
        num_heads, head_dim = get_head_shapes(config)
        cache.early_initialization(1, num_heads, head_dim, torch.float32, torch.device("cpu"))

        class _Module(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model
                self.cache = cache
                for index, layer in enumerate(cache.layers):
                    self.register_buffer(f"key_cache_{index}", layer.keys, persistent=False)
                    self.register_buffer(f"value_cache_{index}", layer.values, persistent=False)
                    self.register_buffer(f"cache_length_{index}", layer.cumulative_length, persistent=False)

            def forward(self, tokens: Any, input_pos: Any) -> Any:
                for index, layer in enumerate(self.cache.layers):
                    layer.keys = getattr(self, f"key_cache_{index}")
                    layer.values = getattr(self, f"value_cache_{index}")
                    layer.cumulative_length = getattr(self, f"cache_length_{index}")
                    # The cache holds positions [0, input_pos[0]); this call writes from there on.
                    layer.cumulative_length.copy_(input_pos[0])
                return self.model(input_ids=tokens, attention_mask=None, past_key_values=self.cache,
                                  use_cache=True).logits

        return _Module().eval()


def _lower(model: Any, max_seq_len: int, constant_methods: dict[str, Any]) -> Any:
    """torch.export with a dynamic sequence length, then XNNPACK lowering and ExecuTorch serialization."""
    import torch
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import EdgeCompileConfig, ExecutorchBackendConfig, to_edge_transform_and_lower
    from executorch.exir.passes.init_mutable_pass import InitializedMutableBufferPass

    module = StaticCacheLM.build(model, max_seq_len)
    example = (torch.zeros((1, 2), dtype=torch.long), torch.arange(2, dtype=torch.long))
    sequence = torch.export.Dim("n", min=1, max=max_seq_len)
    try:
        exported = torch.export.export(module, example, dynamic_shapes={"tokens": {1: sequence},
                                                                         "input_pos": {0: sequence}}, strict=False)
        edge = to_edge_transform_and_lower(exported, partitioner=[XnnpackPartitioner()],
                                           constant_methods=constant_methods,
                                           compile_config=EdgeCompileConfig(_check_ir_validity=False))
        # Start the cache as zeros rather than ExecuTorch's default (uninitialised memory): attention reads
        # every cache row and masks the unwritten ones, and a masked NaN would still poison the sum.
        init_cache = InitializedMutableBufferPass(["key_cache_", "value_cache_", "cache_length_"])
        return edge.to_executorch(ExecutorchBackendConfig(passes=[init_cache]))
    except Exception as error:  # noqa: BLE001 - torch.export/ExecuTorch raise many kinds for an unsupported model
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ExportError(f"ExecuTorch could not lower this model ({type(error).__name__}: {first[:300]})") from None


def _metadata(tokenizer: Any, quant: str, max_seq_len: int, eos_ids: list[int], check: dict[str, Any] | None,
              lowering_seconds: float) -> dict[str, Any]:
    from importlib.metadata import version

    import torch

    return {
        "format": "executorch",
        "program": PROGRAM_FILE,
        "backend": "XNNPACK",
        "quantization": quant if quant == "float32" else "int8 weights per output channel, dynamic int8 activations "
                                                          "(torchao Int8DynamicActivationIntxWeightConfig; XNNPACK)",
        "method": "forward",
        "inputs": [
            {"name": "tokens", "dtype": "int64", "shape": [1, "n"],
             "meaning": "token ids of the new text piece (the whole prompt, then one generated token per call)"},
            {"name": "input_pos", "dtype": "int64", "shape": ["n"],
             "meaning": "their positions in the text: arange(start, start + n); start 0 begins a new text"},
        ],
        "outputs": [{"name": "logits", "dtype": "float32", "shape": [1, "n", len(tokenizer)]}],
        "kv_cache": "static, inside the program (no cache tensors in or out)",
        "max_seq_len": max_seq_len,
        "n_range": [1, max_seq_len],
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_ids": eos_ids,
        "tokenizer": "tokenizer.json (Hugging Face tokenizers format) and its config, beside the program",
        "prompt_format": "the tokenizer's chat template with spelltune's system prompt (see the model card)",
        "versions": {"executorch": version("executorch"), "torchao": _version_or_none("torchao"), "torch": torch.__version__},
        "lowering_seconds": round(lowering_seconds, 1),
        "check": check,
    }


def _version_or_none(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None
