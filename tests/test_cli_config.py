"""`fix`, `eval` and `serve` read the same corrector config: a YAML value and a `--set` value reach the corrector."""

from __future__ import annotations

import pytest

from spelltune.correct.config import CorrectorConfig
from spelltune.correct.corrector import Correction

CONFIG_YAML = """\
engine:
  batch_size: 3
  dtype: float32
rescore:
  enabled: false
guard:
  min_edit_similarity: 0.55
"""


class _EchoCorrector:
    """Gives every line back unchanged; stands in for the model so only the settings are tested."""

    name = "echo"

    def correct_lines(self, lines: list[str]) -> list[Correction]:
        return [Correction(input=line, output=line) for line in lines]


@pytest.fixture
def received_configs(monkeypatch) -> list[CorrectorConfig]:
    """The configs that reached the model corrector's constructor, in order."""
    import spelltune.correct.load as load

    received: list[CorrectorConfig] = []

    def fake_lm_corrector(spec: str, config: CorrectorConfig) -> _EchoCorrector:
        received.append(config)
        return _EchoCorrector()

    monkeypatch.setattr(load, "_lm_corrector", fake_lm_corrector)
    return received


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "corrector.yaml"
    path.write_text(CONFIG_YAML, encoding="utf-8")
    return path


@pytest.fixture
def suite_file(tmp_path):
    path = tmp_path / "suite.jsonl"
    path.write_text('{"input": "teh cat", "expected": "the cat"}\n', encoding="utf-8")
    return path


def _fix(run_cli, extra: list[str]):
    return run_cli(["fix", "--model", "some-model", *extra], stdin=b"teh cat\n")


def _eval(run_cli, extra: list[str], suite_file, tmp_path):
    return run_cli(["eval", "--model", "some-model", "--suite", str(suite_file), "--out", str(tmp_path / "report"),
                    *extra])


def _serve(run_cli, extra: list[str], monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)
    return run_cli(["serve", "--model", "some-model", "--port", "0", "--dictionary", "/nonexistent/dictionary.txt",
                    *extra])


@pytest.fixture
def run_command(run_cli, suite_file, tmp_path, monkeypatch):
    def run(command: str, extra: list[str]):
        if command == "fix":
            return _fix(run_cli, extra)
        if command == "eval":
            return _eval(run_cli, extra, suite_file, tmp_path)
        return _serve(run_cli, extra, monkeypatch)

    return run


COMMANDS = ["fix", "eval", "serve"]


@pytest.mark.parametrize("command", COMMANDS)
def test_the_yaml_config_reaches_the_corrector(command, run_command, received_configs, config_file):
    result = run_command(command, ["--config", str(config_file)])
    assert result.exit_code == 0, result.stderr
    (config,) = received_configs
    assert config.engine.batch_size == 3
    assert config.engine.dtype == "float32"
    assert config.rescore.enabled is False
    assert config.guard.min_edit_similarity == 0.55


@pytest.mark.parametrize("command", COMMANDS)
def test_set_overrides_the_yaml_config(command, run_command, received_configs, config_file):
    result = run_command(command, ["--config", str(config_file), "--set", "engine.batch_size=5",
                                   "--set", "rescore.enabled=true", "--set", "engine.dtype=bfloat16"])
    assert result.exit_code == 0, result.stderr
    (config,) = received_configs
    assert (config.engine.batch_size, config.engine.dtype, config.rescore.enabled) == (5, "bfloat16", True)
    assert config.guard.min_edit_similarity == 0.55


@pytest.mark.parametrize("command", COMMANDS)
def test_without_a_config_the_defaults_reach_the_corrector(command, run_command, received_configs):
    result = run_command(command, [])
    assert result.exit_code == 0, result.stderr
    (config,) = received_configs
    assert config == CorrectorConfig()


@pytest.mark.parametrize("command", ["fix", "eval"])
def test_a_flag_wins_over_the_config(command, run_command, received_configs, config_file):
    result = run_command(command, ["--config", str(config_file), "--batch-size", "7", "--rescore"])
    assert result.exit_code == 0, result.stderr
    (config,) = received_configs
    assert (config.engine.batch_size, config.rescore.enabled) == (7, True)
    assert config.engine.dtype == "float32"


def test_eval_names_the_report_after_the_effective_second_pass(run_command, received_configs, config_file, tmp_path):
    import json

    result = run_command("eval", ["--config", str(config_file)])
    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "report" / "report.json").read_text(encoding="utf-8"))
    assert report["model"] == "some-model --no-rescore"
