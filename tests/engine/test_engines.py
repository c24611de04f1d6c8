"""The engine interface on a tiny model: backends agree, shared-prefix scoring is exact, bad engines fail cleanly."""

from __future__ import annotations

import importlib.util
import math

import pytest

from spelltune.engine import load_engine
from spelltune.prompt import build_prompt, build_training_example

needs_ctranslate2 = pytest.mark.skipif(importlib.util.find_spec("ctranslate2") is None,
                                       reason="ctranslate2 is not installed")

SENTENCES = ["I beleive this is teh correct answr.", "we shud go home now", "This sentence is fine.",
             "Meet Jhon at 5pm today."]


@pytest.fixture(scope="module")
def torch_engine(trained_tiny_model_dir):
    return load_engine(str(trained_tiny_model_dir), engine="torch", device="cpu")


def _prompts(engine):
    return [build_prompt(engine.tokenizer, text) for text in SENTENCES]


def test_torch_generation_reproduces_what_the_tiny_model_learned(torch_engine):
    outputs = torch_engine.generate(_prompts(torch_engine), 40, batch_size=4)
    assert outputs[0] == "I believe this is the correct answer."
    assert outputs[1] == "we should go home now"


def test_batches_pad_on_the_left_without_touching_the_shared_tokenizer(torch_engine, monkeypatch):
    # Correctors on other threads share this tokenizer: its padding side must never change under them.
    tokenizer = torch_engine.tokenizer
    monkeypatch.setattr(tokenizer, "padding_side", "right")
    written: list[str] = []

    class WatchedTokenizer(type(tokenizer)):
        def __setattr__(self, name, value):
            if name == "padding_side":
                written.append(value)
            super().__setattr__(name, value)

    monkeypatch.setattr(tokenizer, "__class__", WatchedTokenizer)
    prompts = _prompts(torch_engine)
    outputs = torch_engine.generate(prompts, 40, batch_size=4)
    torch_engine.score_many([(prompts[1], ["we should", "we shud"])])
    assert outputs[:2] == ["I believe this is the correct answer.", "we should go home now"]  # left-padded
    assert written == [] and tokenizer.padding_side == "right"


def test_generation_does_not_depend_on_batch_size_or_budget_neighbours(torch_engine):
    prompts = _prompts(torch_engine)
    one_by_one = [torch_engine.generate([prompt], 40, batch_size=1)[0] for prompt in prompts]
    assert torch_engine.generate(prompts, 40, batch_size=3) == one_by_one
    # A tight budget for one prompt cuts only that prompt.
    cut = torch_engine.generate(prompts, [3, 40, 40, 40], batch_size=4)
    assert cut[1:] == one_by_one[1:] and len(torch_engine.encode(cut[0])) <= 3


def _full_score(engine, prefix: str, continuation: str) -> float:
    """Reference: the continuation's log-probability from one plain forward pass, no cache."""
    import torch

    prefix_ids, ids = engine.encode(prefix), engine.encode(continuation)
    with torch.inference_mode():
        logits = engine.model(input_ids=torch.tensor([prefix_ids + ids])).logits[0].float().log_softmax(-1)
    return sum(float(logits[len(prefix_ids) - 1 + i, token]) for i, token in enumerate(ids))


def test_scoring_with_a_shared_prefix_equals_scoring_each_alone(torch_engine):
    tokenizer = torch_engine.tokenizer
    source = "I beleive this is teh correct answr."
    variants = ["I believe this is the correct answer.", "I believe this is the correct answr.",
                "I believe this is teh correct answer.", "I beleive this is the correct answer."]
    examples = [build_training_example(tokenizer, source, variant) for variant in variants]
    prefix = examples[0].prompt
    [shared] = torch_engine.score_many([(prefix, [example.completion for example in examples])])
    alone = [_full_score(torch_engine, prefix, example.completion) for example in examples]
    assert shared == pytest.approx(alone, abs=1e-3)
    assert shared[0] == max(shared)  # the tiny model learned this exact correction
    assert torch_engine.score_many([(prefix, ["", examples[0].completion])])[0][0] == 0.0


def test_score_many_matches_each_request_scored_alone(torch_engine):
    prefix = build_prompt(torch_engine.tokenizer, "we shud go home now")
    requests = [(prefix, ["we should", "we shud"]), (prefix, [" go home"])]
    many = torch_engine.score_many(requests)
    assert many[0] == pytest.approx(torch_engine.score_many(requests[:1])[0], abs=1e-4)
    assert many[1] == pytest.approx([_full_score(torch_engine, prefix, " go home")], abs=1e-3)
    assert all(math.isfinite(value) and value < 0 for row in many for value in row)


@needs_ctranslate2
def test_ctranslate2_generates_and_scores_like_torch(torch_engine, trained_tiny_model_dir):
    ct2 = load_engine(str(trained_tiny_model_dir), engine="ctranslate2", device="cpu")
    assert ct2.backend == "ctranslate2"
    prompts = _prompts(torch_engine)
    assert ct2.generate(prompts, 40, batch_size=4) == torch_engine.generate(prompts, 40, batch_size=4)
    prefix = build_prompt(torch_engine.tokenizer, SENTENCES[0])
    continuations = ["I believe this is the correct answer.<|im_end|>", "I beleive this is teh correct answr.<|im_end|>"]
    [reference] = torch_engine.score_many([(prefix, continuations)])
    assert ct2.score_many([(prefix, continuations)])[0] == pytest.approx(reference, abs=1e-3)
    # Its own scorer (what an exported directory uses) agrees too.
    assert ct2.score_batch([(prefix, continuations)])[0] == pytest.approx(reference, abs=1e-3)
    assert ct2.next_token_logits(prompts[:2]) == pytest.approx(torch_engine.next_token_logits(prompts[:2]), abs=1e-3)


@needs_ctranslate2
def test_ctranslate2_keeps_the_shared_system_prompt_as_a_static_prompt_without_changing_answers(
        torch_engine, trained_tiny_model_dir):
    ct2 = load_engine(str(trained_tiny_model_dir), engine="ctranslate2", device="cpu")
    prompts = _prompts(torch_engine)
    assert ct2._static_prefix is None
    batched = ct2.generate(prompts, 40, batch_size=4)
    learned = ct2._static_prefix
    assert learned and all(ct2._tokens(ct2.encode(prompt))[: len(learned)] == learned for prompt in prompts)
    one_by_one = [ct2.generate([prompt], 40, batch_size=1)[0] for prompt in prompts]
    assert batched == one_by_one == torch_engine.generate(prompts, 40, batch_size=1)
    # A prompt that does not start with it runs whole.
    assert ct2.generate(["hello"], 5) == torch_engine.generate(["hello"], 5)


@needs_ctranslate2
def test_ctranslate2_conversion_is_cached_by_content(trained_tiny_model_dir, tmp_path):
    import shutil

    from spelltune.engine.ctranslate2_engine import converted_model_dir

    copy = tmp_path / "model"
    shutil.copytree(trained_tiny_model_dir, copy)
    first = converted_model_dir(str(copy))
    assert converted_model_dir(str(copy)) == first
    # Same content elsewhere: same conversion. Changed weights: a new one (never a stale conversion).
    assert converted_model_dir(str(trained_tiny_model_dir)) == first
    import torch
    from safetensors.torch import load_file, save_file

    weights = load_file(copy / "model.safetensors")
    name = next(iter(weights))
    weights[name] = weights[name] + torch.ones_like(weights[name])
    save_file(weights, copy / "model.safetensors", metadata={"format": "pt"})
    assert converted_model_dir(str(copy)) != first


@needs_ctranslate2
def test_an_exported_ctranslate2_directory_runs_on_its_engine(trained_tiny_model_dir):
    from spelltune.engine.ctranslate2_engine import converted_model_dir
    from spelltune.errors import EngineError

    directory = converted_model_dir(str(trained_tiny_model_dir))
    engine = load_engine(str(directory))
    assert engine.backend == "ctranslate2"
    with pytest.raises(EngineError, match="--engine ctranslate2"):
        load_engine(str(directory), engine="torch")


def test_unknown_engine_is_a_clean_error(trained_tiny_model_dir):
    from spelltune.errors import EngineError

    with pytest.raises(EngineError, match="unknown engine 'warp'"):
        load_engine(str(trained_tiny_model_dir), engine="warp")


def test_auto_falls_back_to_torch_with_one_notice_when_ctranslate2_is_missing(trained_tiny_model_dir, monkeypatch):
    from spelltune.engine import registry

    monkeypatch.setattr(registry.Backend, "available", lambda self: self.name == "torch")
    notices: list[str] = []
    engine = load_engine(str(trained_tiny_model_dir), notice=notices.append)
    assert engine.backend == "torch"
    assert len(notices) == 1 and "ctranslate2" in notices[0]


def _one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    return lines[0]


def test_fix_with_an_unknown_engine_exits_2_with_one_line(run_cli, trained_tiny_model_dir):
    result = run_cli(["fix", "--model", str(trained_tiny_model_dir), "--engine", "warp", "teh cat"])
    assert "unknown engine 'warp'" in _one_error_line(result)
    assert result.stdout_bytes == b""


def test_fix_on_an_engine_whose_package_is_missing_names_the_package(run_cli, trained_tiny_model_dir, monkeypatch):
    from spelltune.engine import registry

    monkeypatch.setattr(registry.Backend, "available", lambda self: self.name == "torch")
    result = run_cli(["fix", "--model", str(trained_tiny_model_dir), "--engine", "ctranslate2", "teh cat"])
    assert "pip install ctranslate2" in _one_error_line(result)


@needs_ctranslate2
def test_fix_on_a_model_ctranslate2_cannot_convert_exits_2(run_cli, tmp_path):
    from transformers import BertConfig, BertLMHeadModel

    config = BertConfig(vocab_size=64, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, is_decoder=True)
    model_dir = tmp_path / "bert"
    BertLMHeadModel(config).save_pretrained(model_dir)
    result = run_cli(["fix", "--model", str(model_dir), "--engine", "ctranslate2", "teh cat"])
    assert "cannot convert" in _one_error_line(result)
