"""Derived-model cache entries (merged adapters, dequantized GGUF) are checked by sha256 before use: a
damaged or half-written entry is rebuilt, never loaded."""

from __future__ import annotations

import json

from spelltune.atomic import MANIFEST_FILE
from spelltune.models.cache_entries import building_entry, is_valid_entry


def _adapter(tiny_model_dir, directory):
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    peft_model = get_peft_model(base, LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    peft_model.save_pretrained(directory)
    return directory


def test_a_corrupted_merged_entry_is_rebuilt_not_loaded(tiny_model_dir, tmp_path):
    from safetensors.torch import load_file

    from spelltune.models.merged import merged_model_dir

    adapter = _adapter(tiny_model_dir, tmp_path / "adapter")
    entry = merged_model_dir(str(adapter))
    assert is_valid_entry(entry) and (entry / MANIFEST_FILE).is_file()
    good = {name: tensor.clone() for name, tensor in load_file(entry / "model.safetensors").items()}
    assert merged_model_dir(str(adapter)) == entry  # reused while intact

    weights = entry / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-100:] = b"\x00" * 100  # flipped bytes inside the tensors
    weights.write_bytes(bytes(data))
    assert not is_valid_entry(entry)
    assert merged_model_dir(str(adapter)) == entry
    assert is_valid_entry(entry)
    rebuilt = load_file(entry / "model.safetensors")
    assert all((rebuilt[name] == tensor).all() for name, tensor in good.items())

    weights.write_bytes(weights.read_bytes()[:1000])  # truncated
    assert merged_model_dir(str(adapter)) == entry and is_valid_entry(entry)


def test_an_entry_without_its_manifest_or_a_listed_file_is_not_valid(tmp_path):
    target = tmp_path / "entry"
    with building_entry(target) as staging:
        (staging / "config.json").write_text("{}")
    assert is_valid_entry(target)
    recorded = json.loads((target / MANIFEST_FILE).read_text())["sha256"]
    assert list(recorded) == ["config.json"]
    (target / MANIFEST_FILE).unlink()
    assert not is_valid_entry(target)
    assert not is_valid_entry(tmp_path / "missing")
