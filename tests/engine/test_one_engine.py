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


def test_the_default_path_loads_one_copy_of_the_weights(trained_tiny_model_dir, monkeypatch):
    """Generation and both scoring passes run on the one loaded model: no second model object appears."""
    import ctranslate2
    import transformers

    from spelltune.correct.config import CorrectorConfig
    from spelltune.correct.load import forget_loaded_models, load_corrector
    from spelltune.engine.ctranslate2_engine import converted_model_dir

    converted_model_dir(str(trained_tiny_model_dir))  # the one-time conversion, cached, comes first
    forget_loaded_models()
    generators = []
    real_generator = ctranslate2.Generator

    def counted_generator(*args, **kwargs):
        generators.append(args)
        return real_generator(*args, **kwargs)

    def second_model(*args, **kwargs):
        raise AssertionError("a second copy of the model was loaded")

    monkeypatch.setattr(ctranslate2, "Generator", counted_generator)
    monkeypatch.setattr(transformers.AutoModelForCausalLM, "from_pretrained", second_model)
    monkeypatch.setattr("spelltune.models.loading.load_model", second_model)
    corrector = load_corrector(str(trained_tiny_model_dir), CorrectorConfig())
    engine = corrector.engine
    calls = []
    for name in ("generate", "score_bounds", "score_many"):
        method = getattr(engine, name)
        monkeypatch.setattr(engine, name, lambda *a, _m=method, _n=name, **k: calls.append(_n) or _m(*a, **k))
    corrections = corrector.correct_lines(["I beleive this is teh correct answr.", "we shud go home now",
                                           "Their going form the bank too the shop."])
    assert engine.backend == "ctranslate2" and len(generators) == 1
    assert corrections[0].output == "I believe this is the correct answer."
    assert {"generate", "score_bounds", "score_many"} <= set(calls)  # both passes ran, on that one model
    forget_loaded_models()
