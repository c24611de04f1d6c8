"""The ExecuTorch writer: a tiny Llama lowered to an XNNPACK .pte, run by ExecuTorch's own runtime."""

from __future__ import annotations

import json
import sys

import pytest

from spelltune.errors import ExportError

MAX_SEQ_LEN = 64  # the check prompt of the tiny model is 38 tokens


@pytest.fixture(scope="module")
def one_layer_model_dir(smollm2_tokenizer_dir, tmp_path_factory):
    """A 1-layer Llama (hidden 32) with the real tokenizer: lowering time grows with the layers."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(smollm2_tokenizer_dir)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                         tie_word_embeddings=True, bos_token_id=tokenizer.bos_token_id,
                         eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    torch.manual_seed(0)
    directory = tmp_path_factory.mktemp("one-layer-llama")
    LlamaForCausalLM(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def _require_executorch():
    pytest.importorskip("executorch.runtime", reason="executorch is not installed: pip install 'spelltune[executorch]'")


@pytest.fixture(scope="module")
def float32_export(one_layer_model_dir, tmp_path_factory):
    _require_executorch()
    from spelltune.export.executorch_format import write_executorch

    out = tmp_path_factory.mktemp("executorch-float32")
    return out, write_executorch(one_layer_model_dir, out, None, max_seq_len=MAX_SEQ_LEN)


def _metadata(out):
    return json.loads((out / "executorch.json").read_text())


def test_float32_program_gives_the_pytorch_logits_in_one_call_and_token_by_token(float32_export):
    out, files = float32_export
    names = {path.name for path in files}
    assert {"model.pte", "tokenizer.json", "tokenizer_config.json", "executorch.json"} <= names
    assert all(path.parent == out and path.is_file() for path in files)
    check = _metadata(out)["check"]
    assert check["prompt_tokens"] > 8
    assert check["max_abs_logit_diff"] < 1e-4
    assert check["same_greedy_tokens"]
    # The last tokens fed one per call only agree if the KV cache inside the program holds the rest.
    assert check["incremental_tokens"] == 8
    assert check["max_abs_logit_diff_incremental"] < 1e-4
    assert check["same_greedy_tokens_incremental"]


def test_metadata_describes_inputs_length_and_eos(float32_export, one_layer_model_dir):
    from transformers import AutoTokenizer

    out, _ = float32_export
    tokenizer = AutoTokenizer.from_pretrained(one_layer_model_dir)
    metadata = _metadata(out)
    assert [item["name"] for item in metadata["inputs"]] == ["tokens", "input_pos"]
    assert metadata["max_seq_len"] == MAX_SEQ_LEN
    assert tokenizer.eos_token_id in metadata["eos_token_ids"]
    assert metadata["outputs"][0]["shape"] == [1, "n", len(tokenizer)]
    assert metadata["quantization"] == "float32"


def test_program_answers_the_llm_runner_metadata_methods(float32_export, one_layer_model_dir):
    from executorch.runtime import Runtime
    from transformers import AutoTokenizer

    out, _ = float32_export
    program = Runtime.get().load_program(out / "model.pte")
    assert {"forward", "get_max_seq_len", "get_eos_ids", "use_kv_cache"} <= set(program.method_names)
    assert list(program.load_method("get_max_seq_len").execute([])) == [MAX_SEQ_LEN]
    eos_ids = list(program.load_method("get_eos_ids").execute([]))
    assert AutoTokenizer.from_pretrained(one_layer_model_dir).eos_token_id in eos_ids


def test_position_zero_starts_a_new_text(float32_export):
    # A second text must not see the first one through the cache: same tokens, same logits.
    import torch
    from executorch.runtime import Runtime

    out, _ = float32_export
    method = Runtime.get().load_program(out / "model.pte").load_method("forward")
    first = method.execute([torch.tensor([[5, 6, 7]]), torch.arange(3)])[0].clone()
    method.execute([torch.tensor([[9, 9, 9, 9]]), torch.arange(4)])
    again = method.execute([torch.tensor([[5, 6, 7]]), torch.arange(3)])[0]
    assert torch.allclose(first, again)


def test_int8_program_reports_its_loss_and_keeps_greedy_tokens(one_layer_model_dir, tmp_path):
    _require_executorch()
    from spelltune.export.executorch_format import write_executorch

    write_executorch(one_layer_model_dir, tmp_path, "int8", max_seq_len=MAX_SEQ_LEN)
    metadata = _metadata(tmp_path)
    assert metadata["quantization"].startswith("int8")
    check = metadata["check"]
    assert 0 < check["max_abs_logit_diff"] < 0.5  # quantized (not zero), but close
    assert check["same_greedy_tokens"] and check["same_greedy_tokens_incremental"]


def test_unknown_quantization_is_refused_before_writing(one_layer_model_dir, tmp_path):
    from spelltune.export.executorch_format import write_executorch

    with pytest.raises(ExportError, match="no quantization 'q4'.*float32, int8"):
        write_executorch(one_layer_model_dir, tmp_path, "q4")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_is_not_a_model_is_refused(tmp_path):
    from spelltune.export.executorch_format import write_executorch

    (tmp_path / "model").mkdir()
    with pytest.raises(ExportError, match="not a Hugging Face model directory"):
        write_executorch(tmp_path / "model", tmp_path, None)


def test_missing_executorch_names_the_extra(one_layer_model_dir, tmp_path, monkeypatch):
    from spelltune.export.executorch_format import write_executorch

    monkeypatch.setitem(sys.modules, "executorch", None)  # import executorch... raises ImportError
    monkeypatch.setitem(sys.modules, "executorch.exir", None)
    with pytest.raises(ExportError, match=r"spelltune\[executorch\]"):
        write_executorch(one_layer_model_dir, tmp_path, None)
    assert list(tmp_path.iterdir()) == []
