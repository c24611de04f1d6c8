"""`--to onnx` and the `onnx` engine: same logits, generations and scores as torch, through onnxruntime."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")

LINES = ["Ther cat sat on teh mat.", "I beleive this is teh correct answr.", "Short.", "we shud go home now ok"]


@pytest.fixture(scope="module")
def onnx_dir(tiny_model_dir, tmp_path_factory):
    """The tiny model exported once through the whole pipeline (writer, parity on 3 sentences, card)."""
    from spelltune.export.run import export_model

    out = tmp_path_factory.mktemp("onnx") / "export"
    export_model(str(tiny_model_dir), "onnx", out, parity_limit=3)
    return out


@pytest.fixture(scope="module")
def engines(tiny_model_dir, onnx_dir):
    from spelltune.engine import load_engine

    return load_engine(str(tiny_model_dir), engine="torch"), load_engine(str(onnx_dir))


def test_an_onnx_folder_runs_on_the_onnx_engine(engines, onnx_dir):
    from spelltune.engine.registry import engine_for_artefact

    assert engine_for_artefact(str(onnx_dir)) == "onnx"
    assert engines[1].backend == "onnx"
    manifest = json.loads((onnx_dir / "spelltune_onnx.json").read_text())
    assert manifest["layers"] == 2 and manifest["kv_heads"] == 2 and manifest["head_dim"] == 16


def test_logits_match_torch(engines):
    from spelltune.prompt import build_prompt

    reference, exported = engines
    prompts = [build_prompt(reference.tokenizer, line) for line in LINES]
    difference = np.abs(reference.next_token_logits(prompts) - exported.next_token_logits(prompts)).max()
    assert difference < 1e-4


def test_batched_generation_with_budgets_matches_torch(engines):
    from spelltune.prompt import build_prompt

    reference, exported = engines
    prompts = [build_prompt(reference.tokenizer, line) for line in LINES]
    budgets = [12, 3, 0, 20]
    # Batched and left-padded, and one at a time: the same text, each cut to its own budget.
    expected = reference.generate(prompts, budgets, batch_size=1)
    assert exported.generate(prompts, budgets, batch_size=4) == expected
    assert exported.generate(prompts, budgets, batch_size=1) == expected
    assert expected[2] == ""


def test_scores_match_torch(engines):
    from spelltune.prompt import build_prompt

    reference, exported = engines
    prefix = build_prompt(reference.tokenizer, "Ther cat sat.")
    requests = [(prefix, ["The", "The cat", "Their cat sat", ""]), (prefix + "The", [" cat", " dog sat on"])]
    got = exported.score_many(requests)
    for row_expected, row_got in zip(reference.score_many(requests), got):
        np.testing.assert_allclose(row_got, row_expected, atol=1e-3)
    assert got[0][3] == 0.0


def test_int8_export_is_smaller_and_still_runs(tiny_model_dir, onnx_dir, tmp_path):
    from spelltune.engine import load_engine
    from spelltune.export.onnx_format import write_onnx

    write_onnx(tiny_model_dir, tmp_path, "int8")
    assert not list(tmp_path.glob("model.float32*"))
    assert (tmp_path / "model.onnx").stat().st_size < 0.6 * (onnx_dir / "model.onnx").stat().st_size
    engine = load_engine(str(tmp_path))
    assert len(engine.generate(["<|im_start|>user\nhi<|im_end|>\n"], 4)) == 1


def test_onnx_engine_refuses_a_plain_model(tiny_model_dir):
    from spelltune.engine import load_engine
    from spelltune.errors import EngineError

    with pytest.raises(EngineError, match="--to onnx"):
        load_engine(str(tiny_model_dir), engine="onnx")


def test_onnx_export_passes_parity_and_fix_runs_it(run_cli, onnx_dir):
    report = json.loads((onnx_dir / "parity.json").read_text())
    assert report["passed"] and report["engine"] == "onnx" and report["sentences"] == 3
    assert "onnx" in (onnx_dir / "README.md").read_text()
    fixed = run_cli(["fix", "--model", str(onnx_dir), "--no-rescore", "Ther cat sat on teh mat."])
    assert fixed.exit_code == 0, fixed.stderr
    assert "[torch.onnx]" not in fixed.stdout
