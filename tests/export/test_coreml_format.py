"""The Core ML writer: a tiny Llama converted to an .mlpackage; its spec checked (prediction needs macOS)."""

from __future__ import annotations

import contextlib
import io
import json
import sys

import pytest

from spelltune.errors import ExportError

MAX_SEQ_LEN = 64


def _require_coremltools():
    pytest.importorskip("coremltools", reason="coremltools is not installed: pip install 'spelltune[coreml]'")


@pytest.fixture(scope="module")
def float32_export(tiny_model_dir, tmp_path_factory):
    _require_coremltools()
    from spelltune.export.coreml_format import write_coreml

    out = tmp_path_factory.mktemp("coreml-float32")
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        files = write_coreml(tiny_model_dir, out, None, max_seq_len=MAX_SEQ_LEN)
    return out, files, stderr.getvalue()


def _load_package(package):
    """A saved `.mlpackage` as an MLModel that is not compiled or run (works on Linux)."""
    import coremltools as ct

    return ct.models.MLModel(str(package), skip_model_load=True)


def _vocab_size(model_dir) -> int:
    return json.loads((model_dir / "config.json").read_text())["vocab_size"]


def test_package_tokenizer_metadata_and_macos_note_are_written(float32_export):
    out, files, stderr = float32_export
    assert "prediction needs macOS or iOS" in stderr
    assert (out / "model.mlpackage" / "Manifest.json").is_file()
    assert {"tokenizer.json", "coreml.json", "NOTE.md"} <= {path.name for path in files}
    assert all(path.is_file() and out in path.parents for path in files)
    note = (out / "NOTE.md").read_text()
    assert "needs macOS or iOS" in note and "model.predict" in note
    assert json.loads((out / "coreml.json").read_text())["prediction"].startswith("needs macOS")


def test_saved_spec_has_the_promised_input_output_and_op_set(float32_export, tiny_model_dir):
    from spelltune.export.coreml_format import check_spec

    out = float32_export[0]
    check = check_spec(_load_package(out / "model.mlpackage"), _vocab_size(tiny_model_dir), MAX_SEQ_LEN)
    assert check["input"] == {"name": "input_ids", "dtype": "int32", "shape_range": [[1, 1], [1, MAX_SEQ_LEN]]}
    assert check["output"]["shape"] == [1, "n", _vocab_size(tiny_model_dir)]
    assert check["ops_outside_target_opset"] == []
    assert {"linear", "softmax", "gather"} <= set(check["ops"])


def test_converted_module_gives_the_model_logits(float32_export):
    out = float32_export[0]
    source = json.loads((out / "coreml.json").read_text())["check"]["converted_torch_module"]
    assert source["prompt_tokens"] > 8 and source["max_abs_logit_diff"] < 1e-4


def test_spec_check_catches_a_wrong_length_and_vocabulary(float32_export, tiny_model_dir):
    from spelltune.export.coreml_format import check_spec

    out = float32_export[0]
    model = _load_package(out / "model.mlpackage")
    with pytest.raises(ExportError, match="input input_ids"):
        check_spec(model, _vocab_size(tiny_model_dir), MAX_SEQ_LEN * 2)
    with pytest.raises(ExportError, match="output logits has shape"):
        check_spec(model, _vocab_size(tiny_model_dir) + 1, MAX_SEQ_LEN)


def test_int8_stores_int8_weights_in_a_smaller_package(float32_export, tiny_model_dir, tmp_path):
    from spelltune.export.coreml_format import write_coreml

    write_coreml(tiny_model_dir, tmp_path, "int8", max_seq_len=MAX_SEQ_LEN)
    check = json.loads((tmp_path / "coreml.json").read_text())["check"]
    assert "constexpr_affine_dequantize" in check["ops"] and check["ops_outside_target_opset"] == []

    def size(folder):
        return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())

    assert size(tmp_path / "model.mlpackage") < size(float32_export[0] / "model.mlpackage") / 2


def test_unknown_quantization_is_refused_before_writing(tiny_model_dir, tmp_path):
    from spelltune.export.coreml_format import write_coreml

    with pytest.raises(ExportError, match="no quantization 'f16'"):
        write_coreml(tiny_model_dir, tmp_path, "f16")
    assert list(tmp_path.iterdir()) == []


def test_missing_coremltools_names_the_extra(tiny_model_dir, tmp_path, monkeypatch):
    from spelltune.export.coreml_format import write_coreml

    monkeypatch.setitem(sys.modules, "coremltools", None)
    with pytest.raises(ExportError, match=r"spelltune\[coreml\]"):
        write_coreml(tiny_model_dir, tmp_path, None)
    assert list(tmp_path.iterdir()) == []
