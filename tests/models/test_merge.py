"""`spelltune merge`: a run's adapter merged into its base as a standalone folder with a model card."""

from __future__ import annotations

import pytest

from spelltune.train.config import config_from_dict
from spelltune.train.run import train_model


@pytest.fixture(scope="module")
def adapter_run(tiny_model_dir, tiny_spelling_data, tmp_path_factory):
    """Two steps of a LoRA (r=8) on the tiny Llama: enough to make the adapter's weights non-zero."""
    settings = {"model": str(tiny_model_dir), "method": "lora", "data": {"path": str(tiny_spelling_data)},
                "lora": {"r": 8, "alpha": 16, "dropout": 0.0, "target_modules": ["all-linear"]},
                "eval": {"every_steps": 0}, "max_steps": 2, "batch_size": 4, "lr": 1.0e-2, "warmup_ratio": 0.0,
                "precision": "fp32", "device": "cpu", "threads": 1, "report_to": []}
    return train_model(config_from_dict(settings), tmp_path_factory.mktemp("merge") / "run").run_dir


def test_merged_folder_gives_the_adapters_logits_and_says_where_it_came_from(adapter_run, run_cli, tmp_path):
    import torch
    from transformers import AutoModelForCausalLM

    from spelltune.models.loading import load_model

    out = tmp_path / "merged"
    result = run_cli(["merge", str(adapter_run), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (out / "config.json").is_file() and any(out.glob("*.safetensors")) and (out / "tokenizer.json").is_file()
    card = (out / "README.md").read_text()
    assert f"spelltune merge {adapter_run}" in card and "LoRA adapter merged" in card
    assert "## The run it comes from" in card and "LoRA (r=8, alpha=16)" in card
    merged = AutoModelForCausalLM.from_pretrained(out).eval()
    with_adapter = load_model(str(adapter_run), device="cpu", dtype="float32").model.eval()
    ids = torch.tensor([[1, 42, 99, 7, 300]])
    with torch.no_grad():
        assert torch.allclose(merged(ids).logits, with_adapter(ids).logits, atol=1e-4)


def test_an_existing_folder_is_kept_without_force(adapter_run, run_cli, tmp_path):
    out = tmp_path / "merged"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run_cli(["merge", str(adapter_run), "--out", str(out)])
    assert result.exit_code == 2 and "--force" in result.stderr and (out / "keep.txt").read_text() == "mine"
    assert run_cli(["merge", str(adapter_run), "--out", str(out), "--force"]).exit_code == 0
    assert not (out / "keep.txt").exists() and (out / "config.json").is_file()
