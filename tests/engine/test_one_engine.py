"""Every model call goes through spelltune/engine: nothing else generates or builds a KV cache by hand."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "spelltune"
# Calls that run a model outside the engine: generation, hand-built caches, raw forward passes for scores.
MODEL_CALLS = re.compile(
    r"\bmodel\.generate\(|past_key_values|\.generate_batch\(|\.score_batch\(|\.forward_batch\(|\bmodel\(\s*input_ids"
)


# Export writers wrap the raw module in the graph they trace (one decoder step with its cache) and compare
# that graph's logits with the module's: those are graph definitions, not inference. Inference on an
# export, and its parity through the corrector, runs on an engine like everything else.
EXPORT_GRAPH_MODULES = {"coreml_format.py", "executorch_format.py", "onnx_format.py", "mobile_common.py"}


def test_model_calls_live_only_in_the_engine_package():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "engine"):
            continue
        if path.parent == PACKAGE / "export" and path.name in EXPORT_GRAPH_MODULES:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MODEL_CALLS.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert offenders == [], "model calls outside spelltune/engine:\n" + "\n".join(offenders)


def test_the_pattern_catches_what_it_is_meant_to():
    assert MODEL_CALLS.search("out = model.generate(**encoded)")
    assert MODEL_CALLS.search("cache = prefix.past_key_values")
    assert MODEL_CALLS.search("logits = self.model(input_ids=ids).logits")
    assert not MODEL_CALLS.search("outputs = engine.generate(prompts, limits)")
