"""`--to gguf`: the file transformers reads back gives the same logits, tokens and chat template."""

from __future__ import annotations

import json

import numpy as np
import pytest

from spelltune.prompt import SYSTEM_PROMPT


def test_permutation_is_what_gguf_readers_undo():
    from transformers.modeling_gguf_pytorch_utils import LlamaTensorProcessor

    from spelltune.export.gguf_format import permute_for_llama_cpp

    rng = np.random.default_rng(0)
    for heads, kv_heads, rows in ((4, 4, 64), (4, 2, 32), (9, 3, 192)):
        weights = rng.standard_normal((rows, 16)).astype(np.float32)
        permuted = permute_for_llama_cpp(weights, heads, kv_heads)
        assert not np.array_equal(permuted, weights)
        restored = LlamaTensorProcessor()._reverse_permute_weights(permuted, heads, kv_heads)
        np.testing.assert_array_equal(restored, weights)


@pytest.mark.parametrize("quant, tolerance", [("f16", 5e-3), ("q8_0", 5e-2)])
def test_gguf_round_trip_gives_the_same_logits(tiny_model_dir, tmp_path, quant, tolerance):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from spelltune.export.gguf_format import write_gguf
    from spelltune.prompt import build_prompt

    files = write_gguf(tiny_model_dir, tmp_path, quant)
    gguf_path = files[0]
    assert gguf_path.name == f"spelltune-{quant}.gguf"
    original = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    loaded = AutoModelForCausalLM.from_pretrained(str(tmp_path), gguf_file=gguf_path.name).eval()
    loaded_tokenizer = AutoTokenizer.from_pretrained(str(tmp_path), gguf_file=gguf_path.name)
    assert loaded_tokenizer.chat_template == tokenizer.chat_template
    prompt = build_prompt(tokenizer, "Ther cat sat on teh mat at 5pm, see https://x.org!")
    ids = tokenizer(prompt, add_special_tokens=False).input_ids
    assert loaded_tokenizer(prompt, add_special_tokens=False).input_ids == ids
    assert loaded_tokenizer.eos_token == tokenizer.eos_token
    with torch.inference_mode():
        expected = original(torch.tensor([ids])).logits
        got = loaded(torch.tensor([ids])).logits
    difference = (expected - got).abs().max().item()
    assert difference < tolerance
    assert difference > 0  # really read from the file, not the same weights


def test_q8_0_is_smaller_than_f16(tiny_model_dir, tmp_path):
    from spelltune.export.gguf_format import write_gguf

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    f16 = write_gguf(tiny_model_dir, tmp_path / "a", "f16")[0]
    q8 = write_gguf(tiny_model_dir, tmp_path / "b", "q8_0")[0]
    assert q8.stat().st_size < 0.7 * f16.stat().st_size


def test_modelfile_runs_the_project_prompt_greedily(tiny_model_dir, tmp_path):
    from spelltune.export.gguf_format import write_gguf

    write_gguf(tiny_model_dir, tmp_path, "f16")
    modelfile = (tmp_path / "Modelfile").read_text()
    assert modelfile.startswith("FROM ./spelltune-f16.gguf\n")
    assert f"<|im_start|>system\n{SYSTEM_PROMPT}<|im_end|>\n<|im_start|>user\n{{{{ .Prompt }}}}<|im_end|>\n" \
           "<|im_start|>assistant\n\"\"\"" in modelfile
    assert 'PARAMETER stop "<|im_end|>"' in modelfile
    assert "PARAMETER temperature 0" in modelfile


def test_other_architectures_are_refused(tiny_model_dir, tmp_path):
    import shutil

    from spelltune.errors import ExportError
    from spelltune.export.gguf_format import write_gguf

    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    config = json.loads((model / "config.json").read_text())
    config["architectures"] = ["GPT2LMHeadModel"]
    (model / "config.json").write_text(json.dumps(config))
    (tmp_path / "out").mkdir()
    with pytest.raises(ExportError, match="Llama-architecture"):
        write_gguf(model, tmp_path / "out", "f16")


def test_gguf_export_passes_parity_and_fix_runs_the_file(run_cli, tiny_model_dir, tmp_path):
    out = tmp_path / "gguf"
    result = run_cli(["export", str(tiny_model_dir), "--to", "gguf", "--out", str(out), "--parity-limit", "3"])
    assert result.exit_code == 0, result.stderr
    assert {path.name for path in out.iterdir()} == {"spelltune-f16.gguf", "Modelfile", "README.md", "SHA256SUMS",
                                                      "parity.json"}
    report = json.loads((out / "parity.json").read_text())
    assert report["passed"] and report["identical_corrections"] == 1.0 and report["sentences"] == 3
    assert "| corrections identical to PyTorch (whole corrector) | 100.0% |" in (out / "README.md").read_text()
    line = "Ther cat sat on teh mat."
    from_gguf = run_cli(["fix", "--model", str(out / "spelltune-f16.gguf"), "--engine", "torch", line])
    from_source = run_cli(["fix", "--model", str(tiny_model_dir), "--engine", "torch", line])
    assert from_gguf.exit_code == 0, from_gguf.stderr
    assert from_gguf.stdout == from_source.stdout
