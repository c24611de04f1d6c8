"""`spelltune export`: bad input gives one error line and exit 2, and never leaves a half-written folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest


def _one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[-1]


def _leftovers(folder: Path) -> list[str]:
    return [path.name for path in folder.iterdir() if ".partial" in path.name]


def test_unknown_format_is_one_error_line(run_cli, tiny_model_dir, tmp_path):
    result = run_cli(["export", str(tiny_model_dir), "--to", "tflite", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "unknown export format 'tflite'" in _one_error_line(result)
    assert not (tmp_path / "out").exists()


def test_unknown_quantization_is_refused(run_cli, tiny_model_dir, tmp_path):
    result = run_cli(["export", str(tiny_model_dir), "--to", "gguf", "--quant", "q2_k", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "f16, q8_0" in _one_error_line(result)


def test_existing_output_folder_is_refused_without_force(run_cli, tiny_model_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = run_cli(["export", str(tiny_model_dir), "--to", "ctranslate2", "--out", str(out), "--no-check"])
    assert result.exit_code == 2
    assert "--force" in _one_error_line(result)
    assert (out / "keep.txt").read_text() == "mine"


def test_missing_optional_package_names_the_extra(run_cli, tiny_model_dir, tmp_path, monkeypatch):
    from spelltune.export import formats

    # executorch and coreml come from the mobile extras; whether or not they are installed here, a
    # format whose package is missing must name the extra that installs it.
    patched = formats.ExportFormat("executorch", "test", "spelltune.export.executorch_format", "write_executorch",
                                   extra="executorch", requires=("surely_not_installed_package_xyz",))
    monkeypatch.setitem(formats.FORMATS, "executorch", patched)
    result = run_cli(["export", str(tiny_model_dir), "--to", "executorch", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "pip install 'spelltune[executorch]'" in _one_error_line(result)
    assert not (tmp_path / "out").exists()


def test_absent_writer_module_names_the_extra(tiny_model_dir, tmp_path, monkeypatch):
    from spelltune.errors import ExportError
    from spelltune.export import formats

    patched = formats.ExportFormat("coreml", "test", "spelltune.export.no_such_writer_module", "write_coreml",
                                   extra="coreml", requires=())
    with pytest.raises(ExportError, match=r"spelltune\[coreml\]"):
        formats.load_writer(patched)


def test_unmergeable_adapter_is_one_error_line(run_cli, tiny_model_dir, tmp_path):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    # A LoRA adapter trained on a model of another width cannot be merged into the tiny model.
    config = LlamaConfig(vocab_size=49152, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2)
    torch.manual_seed(0)
    other = get_peft_model(LlamaForCausalLM(config), LoraConfig(r=4, target_modules=["q_proj", "v_proj"]))
    adapter = tmp_path / "adapter"
    other.save_pretrained(adapter)
    adapter_config = json.loads((adapter / "adapter_config.json").read_text())
    adapter_config["base_model_name_or_path"] = str(tiny_model_dir)
    (adapter / "adapter_config.json").write_text(json.dumps(adapter_config))
    result = run_cli(["export", str(adapter), "--to", "ctranslate2", "--out", str(tmp_path / "out"), "--no-check"])
    assert result.exit_code == 2
    assert "cannot merge" in _one_error_line(result) or "cannot load" in _one_error_line(result)
    assert not (tmp_path / "out").exists()
    assert _leftovers(tmp_path) == []


def test_a_failing_writer_leaves_nothing_behind(run_cli, tiny_model_dir, tmp_path, fake_format):
    from spelltune.errors import ExportError

    def write_fake(model_dir, out_dir, quant):
        (out_dir / "half.bin").write_bytes(b"\0" * 100)
        raise ExportError("the converter gave up half way")

    fake_format(write_fake)
    result = run_cli(["export", str(tiny_model_dir), "--to", "fake", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "half way" in _one_error_line(result)
    assert not (tmp_path / "out").exists()
    assert _leftovers(tmp_path) == []


def test_ctranslate2_export_is_a_runnable_artefact_with_card_and_checksums(run_cli, trained_tiny_model_dir,
                                                                             tmp_path):
    from spelltune.engine.registry import engine_for_artefact

    out = tmp_path / "ct2"
    result = run_cli(["export", str(trained_tiny_model_dir), "--to", "ctranslate2", "--out", str(out), "--no-check"])
    assert result.exit_code == 0, result.stderr
    assert engine_for_artefact(str(out)) == "ctranslate2"
    card = (out / "README.md").read_text()
    assert "Apache-2.0" in card and "Fix the spelling mistakes" in card and "--no-check" in card
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert {"model.bin", "tokenizer.json", "README.md"} <= {line.split("  ")[1] for line in
                                                           (out / "SHA256SUMS").read_text().splitlines()}
    # The exported model corrects what the trained model learned (not an echo of the input).
    fixed = run_cli(["fix", "--model", str(out), "--no-rescore", "Ther cat sat on teh mat."])
    assert fixed.exit_code == 0, fixed.stderr
    assert fixed.stdout == "The cat sat on the mat.\n"

    # --force replaces it; the rename leaves no staging folder.
    again = run_cli(["export", str(trained_tiny_model_dir), "--to", "ctranslate2", "--quant", "int8",
                     "--out", str(out), "--no-check", "--force"])
    assert again.exit_code == 0, again.stderr
    assert "int8" in (out / "README.md").read_text()
    assert _leftovers(tmp_path) == []


def test_failed_parity_exits_non_zero_naming_the_check(run_cli, tiny_model_dir, tmp_path, fake_format):
    import torch
    from transformers import AutoConfig, AutoTokenizer, LlamaForCausalLM

    def write_other_model(model_dir, out_dir, quant):
        # Not the model it was given: a differently seeded one of the same shape, so the checks must fail.
        torch.manual_seed(7)
        LlamaForCausalLM(AutoConfig.from_pretrained(model_dir)).save_pretrained(out_dir)
        AutoTokenizer.from_pretrained(model_dir).save_pretrained(out_dir)
        return sorted(out_dir.iterdir())

    fake_format(write_other_model, quants=("float32",), lossless=("float32",),
                logit_tolerance={"float32": 1e-3}, engine="torch")
    out = tmp_path / "out"
    result = run_cli(["export", str(tiny_model_dir), "--to", "fake", "--out", str(out), "--parity-limit", "3"])
    assert result.exit_code == 1
    line = _one_error_line(result)
    assert "parity check failed" in line and "logits" in line
    report = json.loads((out / "parity.json").read_text())
    assert report["passed"] is False and report["checks"]["logits"] is False
    assert report["sentences"] == 3


def test_a_plugged_in_format_without_an_engine_ships_without_parity(run_cli, tiny_model_dir, tmp_path, fake_format):
    seen = {}

    def write_fake(model_dir, out_dir, quant):
        seen["model_dir"], seen["quant"] = Path(model_dir), quant
        (out_dir / "model.pte").write_bytes(b"program")
        return [out_dir / "model.pte"]

    fake_format(write_fake, card_notes=("Runs on phones only.",))
    out = tmp_path / "out"
    result = run_cli(["export", str(tiny_model_dir), "--to", "fake", "--quant", "int8", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert seen == {"model_dir": tiny_model_dir, "quant": "int8"}
    assert not (out / "parity.json").exists()
    card = (out / "README.md").read_text()
    assert "Runs on phones only." in card and "did not measure parity" in card
    assert "model.pte" in (out / "SHA256SUMS").read_text()
