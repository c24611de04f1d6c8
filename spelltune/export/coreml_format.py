"""`spelltune export --to coreml`: a Core ML `.mlpackage` (ML Program) for iPhone, iPad and Mac apps.

The model is converted from `torch.export` by coremltools on any OS; running it (prediction) needs
macOS or iOS, so on Linux the writer verifies what it can without Core ML itself: the spec's input
(`input_ids`, int32, shape [1, n] with n in 1..max_seq_len), its output (`logits`, [1, n, vocab]) and that
every operation in the program exists in the Core ML op set of the deployment target. The result goes
into `coreml.json` beside the package, with the tokenizer files and a NOTE.md saying how to run it.

The program has no KV cache: each call runs the whole token sequence (fine for one sentence at a time;
a stateful cache needs iOS 18 states and is not built here). `int8` stores the linear and embedding
weights as int8 (symmetric, per output channel, coremltools' linear_quantize_weights); compute stays
float32 in both, so the numbers match the float32 PyTorch model as closely as Core ML's CPU allows.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from spelltune.errors import ExportError
from spelltune.export.mobile_common import (
    check_model_dir,
    copy_tokenizer_files,
    eos_token_ids,
    load_reference_model,
    normalise_quant,
    write_json,
)

PACKAGE_DIR = "model.mlpackage"
METADATA_FILE = "coreml.json"
NOTE_FILE = "NOTE.md"
DEFAULT_MAX_SEQ_LEN = 512
DEPLOYMENT_TARGET = "iOS17"  # also macOS 14; the op-set check uses this opset
INPUT_NAME = "input_ids"
OUTPUT_NAME = "logits"
MASK_VALUE = -1e4  # additive causal mask; finite so float16 compute stays finite as well

NOTE_TEXT = """# Core ML model: prediction needs macOS or iOS

`{package}` was converted on {system} with coremltools {coremltools}. Core ML itself only exists on
Apple systems, so nothing here could run it: spelltune checked its inputs, outputs and op set
(`{metadata}`), not its numbers. Check the numbers on a Mac before you ship it:

```python
import coremltools as ct, numpy as np
model = ct.models.MLModel("{package}")
logits = model.predict({{"{input}": np.array([[1, 2, 3]], dtype=np.int32)}})["{output}"]  # [1, n, vocab]
```

- Input `{input}`: int32 token ids, shape [1, n], 1 <= n <= {max_seq_len}. No KV cache: pass the whole
  text so far (prompt + generated tokens) at every step and take the last row of `logits`.
- Stop at any of the EOS ids {eos_ids}. Tokenizer: `tokenizer.json` beside this note (Hugging Face
  tokenizers format; swift-transformers reads it). Prompt: the tokenizer's chat template with
  spelltune's system prompt, as in the model card.
- Weights: {quant}. Deployment target: {target} or newer.
"""


def write_coreml(model_dir: Path, out_dir: Path, quant: str | None = None, *,
                 max_seq_len: int = DEFAULT_MAX_SEQ_LEN) -> list[Path]:
    """Write `model.mlpackage` (float32 or int8 weights), the tokenizer, `coreml.json` and NOTE.md into `out_dir`.

    `model_dir` is a merged Hugging Face model directory; `out_dir` an existing (empty) folder. The
    spec is checked (input and output names and shapes, op set of the deployment target) and an
    ExportError raised if it is wrong. Returns the files written (the package's files included).
    """
    model_dir, out_dir = Path(model_dir), Path(out_dir)
    quant = normalise_quant("coreml", quant)
    check_model_dir(model_dir)
    if max_seq_len < 2:
        raise ExportError(f"--to coreml needs a max sequence length of at least 2, not {max_seq_len}")
    ct = _require_coremltools()

    started = time.perf_counter()
    model, tokenizer = load_reference_model(model_dir)
    eos_ids = eos_token_ids(model, tokenizer)
    vocab_size = int(model.get_output_embeddings().weight.shape[0])
    source_check = check_converted_module(model, tokenizer, max_seq_len)
    mlmodel = convert(model, max_seq_len)
    del model
    if quant == "int8":
        mlmodel = quantize_int8(mlmodel)
    check = {**check_spec(mlmodel, vocab_size, max_seq_len), "converted_torch_module": source_check}
    package = out_dir / PACKAGE_DIR
    mlmodel.save(str(package))
    seconds = time.perf_counter() - started

    written = sorted(path for path in package.rglob("*") if path.is_file())
    written += copy_tokenizer_files(model_dir, out_dir)
    written.append(write_json(out_dir / METADATA_FILE, _metadata(ct, tokenizer, quant, max_seq_len, eos_ids,
                                                                 check, seconds)))
    written.append(_write_note(ct, out_dir, quant, max_seq_len, eos_ids))
    print(f"note: Core ML prediction needs macOS or iOS; here only the spec (input, output, op set) was checked "
          f"- see {NOTE_FILE} beside the package", file=sys.stderr)
    return written


def convert(model: Any, max_seq_len: int) -> Any:
    """The Core ML ML Program for `model`: input_ids [1, n] -> logits [1, n, vocab], float32 compute."""
    import torch

    ct = _require_coremltools()
    _register_missing_torch_ops()
    module = _CausalLM.build(model)
    example = (torch.zeros((1, 8), dtype=torch.long),)
    sequence = torch.export.Dim("n", min=1, max=max_seq_len)
    try:
        with torch.no_grad():
            exported = torch.export.export(module, example, dynamic_shapes={INPUT_NAME: {1: sequence}}, strict=False)
            exported = exported.run_decompositions()
        mlmodel = ct.convert(exported, convert_to="mlprogram", minimum_deployment_target=getattr(ct.target, DEPLOYMENT_TARGET),
                             compute_precision=ct.precision.FLOAT32, skip_model_load=True,
                             outputs=[ct.TensorType(name=OUTPUT_NAME)])
    except Exception as error:  # noqa: BLE001 - torch.export/coremltools raise many kinds for an unsupported model
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ExportError(f"coremltools could not convert this model ({type(error).__name__}: {first[:300]})") from None
    return mlmodel


def check_converted_module(model: Any, tokenizer: Any, max_seq_len: int) -> dict[str, Any]:
    """The module handed to coremltools against the model itself on the check prompt (its own mask and
    positions must give the model's logits); an ExportError when they differ by more than 1e-3."""
    import torch

    from spelltune.export.mobile_common import max_abs_diff, reference_logits

    reference = reference_logits(model, tokenizer, max_seq_len)
    with torch.no_grad():
        logits = _CausalLM.build(model)(torch.tensor([reference.token_ids]))
    difference = max_abs_diff(reference.logits, logits)
    if difference > 1e-3:
        raise ExportError(f"the module converted to Core ML differs from the model by {difference:.3g} in logits")
    return {"prompt_tokens": len(reference.token_ids), "max_abs_logit_diff": difference}


def quantize_int8(mlmodel: Any) -> Any:
    """The model with its weights stored as int8 (symmetric, per output channel); compute unchanged."""
    import coremltools.optimize as cto
    import numpy as np

    config = cto.coreml.OptimizationConfig(global_config=cto.coreml.OpLinearQuantizerConfig(
        mode="linear_symmetric", dtype="int8", granularity="per_channel", weight_threshold=2048))
    # An all-zero row (the padding token's embedding) gets scale 0 and numpy warns about 0/0; the row
    # still dequantizes to zeros, so the warning is noise.
    with np.errstate(invalid="ignore", divide="ignore"):
        return cto.coreml.linear_quantize_weights(mlmodel, config=config)


def check_spec(mlmodel: Any, vocab_size: int, max_seq_len: int) -> dict[str, Any]:
    """Check the spec's input, output and op set; an ExportError naming the first problem, else a summary."""
    from coremltools.converters.mil.mil.ops.registry import SSAOpRegistry

    ct = _require_coremltools()
    spec = mlmodel.get_spec()
    inputs = list(spec.description.input)
    if [feature.name for feature in inputs] != [INPUT_NAME]:
        raise ExportError(f"the Core ML model's inputs are {[f.name for f in inputs]}, expected ['{INPUT_NAME}']")
    array = inputs[0].type.multiArrayType
    data_type = ct.proto.FeatureTypes_pb2.ArrayFeatureType.ArrayDataType.Name(array.dataType)
    ranges = [(r.lowerBound, r.upperBound) for r in array.shapeRange.sizeRanges]
    if data_type != "INT32" or ranges != [(1, 1), (1, max_seq_len)]:
        raise ExportError(f"the Core ML input {INPUT_NAME} is {data_type} {ranges}, expected INT32 "
                          f"[(1, 1), (1, {max_seq_len})]")
    outputs = [feature.name for feature in spec.description.output]
    if outputs != [OUTPUT_NAME]:
        raise ExportError(f"the Core ML model's outputs are {outputs}, expected ['{OUTPUT_NAME}']")
    output_shape = _program_output_shape(mlmodel)
    if len(output_shape) != 3 or output_shape[0] != 1 or output_shape[2] != vocab_size:
        raise ExportError(f"the Core ML output {OUTPUT_NAME} has shape {output_shape}, expected [1, n, {vocab_size}]")

    target = getattr(ct.target, DEPLOYMENT_TARGET)
    op_types = sorted(_op_types(spec))
    unsupported = [op for op in op_types if op != "const" and not any(
        version is not None and version <= target for version in SSAOpRegistry.core_ops.get(op, {}))]
    if unsupported:
        raise ExportError(f"the Core ML program uses ops outside the {DEPLOYMENT_TARGET} op set: {', '.join(unsupported)}")
    return {
        "checked_on": "spec only (Core ML prediction needs macOS or iOS)",
        "input": {"name": INPUT_NAME, "dtype": "int32", "shape_range": [list(r) for r in ranges]},
        "output": {"name": OUTPUT_NAME, "shape": [1, "n", vocab_size]},
        "spec_version": spec.specificationVersion,
        "deployment_target": DEPLOYMENT_TARGET,
        "ops": op_types,
        "ops_outside_target_opset": unsupported,
    }


class _CausalLM:
    """Factory of the converted module: logits for the whole sequence with an explicit causal mask."""

    @staticmethod
    def build(model: Any) -> Any:
        """An nn.Module `forward(input_ids[1, n]) -> logits[1, n, vocab]` without a KV cache.

        The causal mask and positions are built from aranges here, so transformers' own mask helpers
        (packed-sequence detection with torch.diff, new_ones), which coremltools cannot convert, never run.
        """
        import torch

        class _Module(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any) -> Any:
                positions = torch.arange(input_ids.shape[1])
                future = (positions[None, :] > positions[:, None]).to(torch.float32)
                mask = (future * MASK_VALUE)[None, None]
                return self.model(input_ids=input_ids, attention_mask=mask, position_ids=positions[None],
                                  use_cache=False).logits

        return _Module().eval()


def _program_output_shape(mlmodel: Any) -> list[Any]:
    # A freshly converted model carries its MIL program; one loaded from disk is read back from the spec.
    program = getattr(mlmodel, "_mil_program", None)
    if program is None:
        from coremltools.converters.mil.frontend.milproto.load import load as load_mil

        spec = mlmodel.get_spec()
        program = load_mil(spec, spec.specificationVersion, file_weights_dir=mlmodel.weights_dir or "")
    shape = program.functions["main"].outputs[0].shape
    return [dim if isinstance(dim, int) else "n" for dim in shape]


def _op_types(spec: Any) -> set[str]:
    found: set[str] = set()

    def walk(block: Any) -> None:
        for operation in block.operations:
            found.add(operation.type)
            for nested in operation.blocks:
                walk(nested)

    for function in spec.mlProgram.functions.values():
        for block in function.block_specializations.values():
            walk(block)
    return found


def _register_missing_torch_ops() -> None:
    # torch 2.13's core ATen decompositions leave `aten.alias` in the graph; coremltools 9.0 (tested up to
    # torch 2.7) has no converter for it. An alias is the identity.
    from coremltools.converters.mil import Builder as mb
    from coremltools.converters.mil.frontend.torch.ops import _get_inputs
    from coremltools.converters.mil.frontend.torch.torch_op_registry import _TORCH_OPS_REGISTRY, register_torch_op

    if "alias" in _TORCH_OPS_REGISTRY:
        return

    def alias(context: Any, node: Any) -> None:
        value = _get_inputs(context, node, expected=1)[0]
        context.add(mb.identity(x=value, name=node.name))

    register_torch_op(alias)


def _require_coremltools() -> Any:
    try:
        import coremltools
    except ImportError as error:
        raise ExportError(f"--to coreml needs coremltools ({error}): pip install 'spelltune[coreml]'") from None
    return coremltools


def _metadata(ct: Any, tokenizer: Any, quant: str, max_seq_len: int, eos_ids: list[int], check: dict[str, Any],
              seconds: float) -> dict[str, Any]:
    import torch

    return {
        "format": "coreml",
        "package": PACKAGE_DIR,
        "quantization": "float32" if quant == "float32" else "int8 weights (symmetric, per channel), float32 compute",
        "inputs": [{"name": INPUT_NAME, "dtype": "int32", "shape": [1, "n"], "meaning": "the whole token sequence"}],
        "outputs": [{"name": OUTPUT_NAME, "dtype": "float32", "shape": [1, "n", len(tokenizer)]}],
        "kv_cache": "none: every call runs the whole sequence",
        "max_seq_len": max_seq_len,
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_ids": eos_ids,
        "prediction": "needs macOS or iOS; not run here",
        "versions": {"coremltools": ct.__version__, "torch": torch.__version__},
        "conversion_seconds": round(seconds, 1),
        "check": check,
    }


def _write_note(ct: Any, out_dir: Path, quant: str, max_seq_len: int, eos_ids: list[int]) -> Path:
    import platform

    path = out_dir / NOTE_FILE
    path.write_text(NOTE_TEXT.format(package=PACKAGE_DIR, system=platform.system(), coremltools=ct.__version__,
                                     metadata=METADATA_FILE, input=INPUT_NAME, output=OUTPUT_NAME,
                                     max_seq_len=max_seq_len, eos_ids=eos_ids, target=DEPLOYMENT_TARGET,
                                     quant="int8, per channel" if quant == "int8" else "float32"),
                    encoding="utf-8")
    return path
