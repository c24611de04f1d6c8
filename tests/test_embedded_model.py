"""The real thing: the embedded SmolLM2-135M, loaded from its pip package (slow: ~30 s)."""

import json

import pytest

pytestmark = pytest.mark.slow


def test_default_fix_loads_the_embedded_model_and_keeps_the_line_contract(run_cli, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("SPELLTUNE_CACHE_DIR", str(cache))
    lines = [
        "I beleive this is teh correct answr.",
        "Their going to the libary tomorow.",
        "Meet Jhon at 5pm on www.example.com today.",
    ]
    result = run_cli(["fix", "--json"], ("\n".join(lines) + "\n").encode())
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["input"] for row in rows] == lines
    # The dequantized copy is cached as safetensors for the next run.
    assert list(cache.glob("models/SmolLM2-135M-Instruct.Q4_1-*/model.safetensors"))
    # The base model proposes real corrections on plain typos...
    assert any(row["edits"] for row in rows)
    # ...and never gets to touch the name, the time or the URL.
    protected = rows[2]["output"].split()
    assert {"Jhon", "5pm", "www.example.com"} <= set(protected)
    for row in rows:
        assert abs(len(row["output"].split()) - len(row["input"].split())) <= 2


def test_cached_copy_gives_the_same_logits_as_the_gguf(tmp_path, monkeypatch):
    import torch
    from transformers import AutoModelForCausalLM

    from spelltune.models import load_model, resolve_model_spec

    monkeypatch.setenv("SPELLTUNE_CACHE_DIR", str(tmp_path))
    resolved = resolve_model_spec("smollm2-135m")
    direct = AutoModelForCausalLM.from_pretrained(resolved.location, gguf_file=resolved.gguf_file)
    cached = load_model("smollm2-135m", device="cpu", dtype="float32")
    ids = cached.tokenizer("Hello wrold", return_tensors="pt").input_ids
    with torch.no_grad():
        assert torch.equal(direct(input_ids=ids).logits, cached.model(input_ids=ids).logits)
    assert sum(p.numel() for p in cached.model.parameters()) == 134_515_008


def test_the_default_model_picks_the_spelling_that_fits_the_context(run_cli):
    """The second pass: the same misspelling resolves to different words in different sentences."""
    lines = [
        "my mother tought me how to swim when i was small.",
        "the exam was tought but i passed it.",
        "Sam moved to Berlni last yaer with Ana.",
    ]
    result = run_cli(["fix"], ("\n".join(lines) + "\n").encode())
    assert result.exit_code == 0, result.stderr
    fixed = result.stdout.splitlines()
    assert "taught" in fixed[0].split()
    assert "tough" in fixed[1].split()
    # Capitalised names are never candidates; the plain misspelling next to them is fixed.
    assert "Berlni" in fixed[2] and "Sam" in fixed[2] and "Ana." in fixed[2]
    assert "year" in fixed[2].split()
