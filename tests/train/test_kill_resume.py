"""A `spelltune train` process SIGKILLed after a checkpoint, and again in the middle of writing one,
resumes to the same adapter as an uninterrupted run; a half-written checkpoint is never picked."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from spelltune.models.loading import RUN_MANIFEST
from spelltune.train.checkpoints import COMPLETE_MARKER, discard_incomplete_checkpoints, last_checkpoint
from spelltune.train.config import config_from_dict
from spelltune.train.run import train_model

from .conftest import tiny_train_settings

REPO = Path(__file__).resolve().parents[2]
PAUSED_TRAINING = Path(__file__).with_name("paused_training.py")


def _start(config: Path, run_dir: Path, pause: str, resume: bool = False) -> subprocess.Popen:
    """`spelltune train` in a process that stops at `pause` (see paused_training.py)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, str(PAUSED_TRAINING), pause, "train", str(config), "--out", str(run_dir)]
    return subprocess.Popen(command + (["--resume"] if resume else []), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, cwd=REPO, text=True, errors="replace")


def _stderr_lines(process: subprocess.Popen) -> queue.Queue:
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _kill_when_paused(process: subprocess.Popen, where: str, timeout: float = 600) -> str:
    """SIGKILL the process as soon as it reports pausing at `where`; return what it printed."""
    lines, seen = _stderr_lines(process), []
    try:
        while True:
            line = lines.get(timeout=timeout)
            if line is None:
                pytest.fail(f"training ended before pausing at {where}:\n{''.join(seen)}")
            seen.append(line)
            if line.strip() == f"paused at {where}":
                break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    return "".join(seen)


def test_sigkilled_training_resumes_to_the_uninterrupted_model(tiny_model_dir, tiny_dataset_dir, tmp_path):
    from safetensors.torch import load_file

    settings = tiny_train_settings(tiny_model_dir, tiny_dataset_dir, max_steps=6, save_every_steps=2,
                                   save_total_limit=2, **{"eval.every_steps": 0})
    config = tmp_path / "tiny.yaml"
    config.write_text(yaml.safe_dump(settings))
    whole = train_model(config_from_dict(settings), tmp_path / "whole")
    run_dir = tmp_path / "killed"

    # Killed at step 3, after checkpoint-2 was written and before checkpoint-4.
    _kill_when_paused(_start(config, run_dir, pause="step:3"), "step:3")
    assert last_checkpoint(run_dir).name == "checkpoint-2"
    assert not (run_dir / RUN_MANIFEST).exists()

    # Resumed, then killed while writing checkpoint-6: its weights are on disk, the rest is not.
    printed = _kill_when_paused(_start(config, run_dir, pause="checkpoint:6", resume=True), "checkpoint:6")
    assert "resuming from checkpoint-2" in printed
    half_written = run_dir / "checkpoints" / "checkpoint-6"
    assert half_written.is_dir() and not (half_written / COMPLETE_MARKER).exists()
    assert last_checkpoint(run_dir).name == "checkpoint-4"  # never the half-written one

    finished = subprocess.run([sys.executable, "-m", "spelltune", "train", str(config), "--out", str(run_dir),
                               "--resume"], capture_output=True, text=True, cwd=REPO, timeout=900,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    assert finished.returncode == 0, finished.stderr
    assert "resuming from checkpoint-4" in finished.stderr
    assert "removed checkpoint-6" in finished.stderr

    weights_whole = load_file(whole.model_dir / "adapter_model.safetensors")
    weights_resumed = load_file(run_dir / "adapter" / "adapter_model.safetensors")
    assert weights_whole.keys() == weights_resumed.keys()
    for name, tensor in weights_whole.items():
        assert (tensor - weights_resumed[name]).abs().max().item() < 1e-6, name
    kept = sorted(p.name for p in (run_dir / "checkpoints").glob("checkpoint-*"))
    assert kept == ["checkpoint-4", "checkpoint-6"]
    assert all((run_dir / "checkpoints" / name / COMPLETE_MARKER).is_file() for name in kept)


def test_only_marked_checkpoints_count_once_markers_are_in_use(tmp_path):
    folder = tmp_path / "checkpoints"
    for step, marked in ((2, True), (4, True), (6, False)):
        (folder / f"checkpoint-{step}").mkdir(parents=True)
        (folder / f"checkpoint-{step}" / "trainer_state.json").write_text("{}")
        if marked:
            (folder / f"checkpoint-{step}" / COMPLETE_MARKER).write_text("complete\n")
    (folder / "checkpoint-x").mkdir()
    assert last_checkpoint(tmp_path).name == "checkpoint-4"
    assert [p.name for p in discard_incomplete_checkpoints(tmp_path)] == ["checkpoint-6"]
    assert not (folder / "checkpoint-6").exists()


def test_runs_from_before_markers_resume_from_their_last_finished_checkpoint(tmp_path):
    folder = tmp_path / "checkpoints"
    (folder / "checkpoint-2").mkdir(parents=True)
    (folder / "checkpoint-2" / "trainer_state.json").write_text("{}")
    (folder / "checkpoint-4").mkdir()
    (folder / "checkpoint-4" / "adapter_model.safetensors").write_bytes(b"")
    assert last_checkpoint(tmp_path).name == "checkpoint-2"
