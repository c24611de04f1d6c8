"""spelltune/atomic.py: a killed or failed write leaves the old artefact or none, never half of one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from spelltune.atomic import (
    MANIFEST_FILE,
    atomic_directory,
    open_atomic,
    verify_checksum_manifest,
    write_checksum_manifest,
    write_json,
    write_text,
)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "report.json"
    write_json(target, {"version": 1})
    with pytest.raises(RuntimeError):
        with open_atomic(target) as handle:
            handle.write('{"version": 2, "trunc')
            raise RuntimeError("killed mid-write")
    assert target.read_text() == '{\n  "version": 1\n}\n'
    assert os.listdir(tmp_path) == ["report.json"]
    write_text(target, "new\n")
    assert target.read_text() == "new\n"


def test_a_sigkilled_writer_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "train.jsonl"
    write_text(target, "old\n")
    script = textwrap.dedent(f"""
        import os, signal, sys
        from spelltune.atomic import open_atomic
        with open_atomic({str(target)!r}) as handle:
            handle.write("new half")
            handle.flush()
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert done.returncode == -signal.SIGKILL
    assert target.read_text() == "old\n"


def test_a_directory_appears_whole_or_not_at_all(tmp_path):
    target = tmp_path / "entry"
    with pytest.raises(RuntimeError):
        with atomic_directory(target) as staging:
            (staging / "config.json").write_text("{}")
            raise RuntimeError("killed")
    assert not target.exists() and os.listdir(tmp_path) == []
    with atomic_directory(target) as staging:
        (staging / "a.txt").write_text("first")
    with atomic_directory(target) as staging:
        (staging / "b.txt").write_text("second")
    assert sorted(os.listdir(target)) == ["b.txt"] and os.listdir(tmp_path) == ["entry"]


def test_a_published_directory_has_the_permissions_mkdir_gives(tmp_path):
    (tmp_path / "plain").mkdir()
    with atomic_directory(tmp_path / "built") as staging:
        (staging / "a.txt").write_text("a")
    assert (tmp_path / "built").stat().st_mode == (tmp_path / "plain").stat().st_mode


def test_a_file_written_atomically_has_the_permissions_open_gives(tmp_path):
    (tmp_path / "plain.txt").write_text("a")
    write_text(tmp_path / "atomic.txt", "a")
    assert (tmp_path / "atomic.txt").stat().st_mode == (tmp_path / "plain.txt").stat().st_mode


def test_the_checksum_manifest_catches_a_changed_or_missing_file(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"weights" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "tokenizer.json").write_text("{}")
    assert not verify_checksum_manifest(tmp_path)  # no manifest yet
    write_checksum_manifest(tmp_path)
    assert (tmp_path / MANIFEST_FILE).is_file() and verify_checksum_manifest(tmp_path)
    with open(tmp_path / "model.safetensors", "r+b") as handle:
        handle.seek(10)
        handle.write(b"X")
    assert not verify_checksum_manifest(tmp_path)
    write_checksum_manifest(tmp_path)
    (tmp_path / "sub" / "tokenizer.json").unlink()
    assert not verify_checksum_manifest(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text("not json")
    assert not verify_checksum_manifest(tmp_path)
