"""`spelltune eval` and `spelltune compare` through the real entry point."""

import subprocess
import sys

import pytest


def _spelltune(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "spelltune", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_eval_then_compare(tmp_path):
    result = _spelltune("eval", "--model", "identity", "--suite", "own", "--limit", "12", "--out", "r/identity", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "identity on own (12 sentences)" in result.stdout
    assert (tmp_path / "r/identity/report.json").is_file() and (tmp_path / "r/identity/report.md").is_file()
    result = _spelltune("compare", "r/identity", "--out", "cmp", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "| identity |" in result.stdout
    assert (tmp_path / "cmp/accuracy_vs_speed.png").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eval", "--model", "identity", "--suite", "nope.jsonl", "--out", "r"], "no suite named"),
        (["eval", "--model", "identity", "--suite", "own", "--limit", "0", "--out", "r"], "at least 1"),
        (["compare", "missing-dir"], "does not exist"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(tmp_path, args, message):
    result = _spelltune(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
