"""The shipped `default` model (LoRA merged into the embedded SmolLM2-135M) exports with parity."""

from __future__ import annotations

import json

import pytest


@pytest.mark.slow
def test_default_model_exports_to_gguf_with_parity(run_cli, tmp_path):
    out = tmp_path / "gguf"
    result = run_cli(["export", "default", "--to", "gguf", "--out", str(out), "--parity-limit", "4"])
    assert result.exit_code == 0, result.stderr
    report = json.loads((out / "parity.json").read_text())
    assert report["passed"] and report["identical_corrections"] == 1.0
    card = (out / "README.md").read_text()
    assert "Base model: `smollm2-135m`" in card and "LoRA" in card and "training pairs" in card
    assert (out / "spelltune-f16.gguf").stat().st_size > 200e6
