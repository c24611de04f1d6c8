"""`spelltune serve` as a user starts it: a real process, bad options as one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from spelltune.serve.serve_cli import is_loopback

pytest.importorskip("fastapi")


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("example.org", False),
])
def test_only_loopback_hosts_are_private(host, loopback):
    assert is_loopback(host) is loopback


def test_an_unknown_model_is_one_error_line_and_exit_2(run_cli, tmp_path):
    result = run_cli(["serve", "--model", str(tmp_path / "no-such-model"), "--port", "0"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in result.stderr


def test_off_loopback_serve_refuses_to_start_without_writers(run_cli, tmp_path):
    from tests.serve.conftest import free_port

    result = run_cli(["serve", "--model", "symspell", "--host", "0.0.0.0", "--port", str(free_port()),
                      "--database", f"sqlite:///{tmp_path / 'db.sqlite'}"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "refusing to listen on 0.0.0.0 with no writers" in result.stderr
    assert "spelltune writers add NAME --database" in result.stderr
    assert "loading model" not in result.stderr


def test_serve_starts_a_classic_corrector_off_loopback_for_its_writers(run_cli, tmp_path):
    import httpx

    from tests.serve.conftest import free_port

    database = f"sqlite:///{tmp_path / 'db.sqlite'}"
    added = run_cli(["writers", "add", "ann", "--database", database])
    assert added.exit_code == 0, added.stderr
    token = added.stdout.strip()
    port = free_port()
    env = {**os.environ, "SPELLTUNE_DATA_DIR": str(tmp_path), "SPELLTUNE_DATABASE_URL": database}
    process = subprocess.Popen([sys.executable, "-m", "spelltune", "serve", "--model", "symspell", "--host", "0.0.0.0",
                                "--port", str(port)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
        assert health.json()["model"] == "symspell"
        url = f"http://127.0.0.1:{port}/v1/correct"
        assert httpx.post(url, json={"text": "I beleive it"}, timeout=30).status_code == 401
        answer = httpx.post(url, json={"text": "I beleive it"}, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert answer.json()["text"] == "I believe it"
    finally:
        process.terminate()
        stderr = process.communicate(timeout=30)[1].decode()
    assert "warning: listening on 0.0.0.0" in stderr and "writers sign in with their tokens" in stderr
    assert f"http://0.0.0.0:{port}/" in stderr
    assert token not in stderr


def test_a_port_in_use_is_one_error_line_before_the_model_loads(run_cli):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli(["serve", "--model", "symspell", "--port", str(port)])
    assert result.exit_code == 2
    assert "in use" in result.stderr and "--port" in result.stderr
    assert "loading model" not in result.stderr


def test_serve_corrects_a_writer_with_their_own_model_and_falls_back_with_one_warning(run_cli, tmp_path):
    import httpx

    from spelltune.serve.store import open_store
    from spelltune.serve.store.writer_model import set_writer_model
    from tests.serve.conftest import free_port

    database = f"sqlite:///{tmp_path / 'db.sqlite'}"
    tokens = {name: run_cli(["writers", "add", name, "--database", database]).stdout.strip()
              for name in ("ann", "bob", "carol")}
    store = open_store(database)
    set_writer_model(store, "ann", "identity")  # a classic corrector: the real loader, and no weights to load
    set_writer_model(store, "carol", str(tmp_path / "deleted-run"))
    store.close()
    port = free_port()
    env = {**os.environ, "SPELLTUNE_DATA_DIR": str(tmp_path), "SPELLTUNE_DATABASE_URL": database}
    process = subprocess.Popen([sys.executable, "-m", "spelltune", "serve", "--model", "symspell", "--port", str(port),
                                "--max-writer-models", "1"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)

        def correct(name: str) -> httpx.Response:
            return httpx.post(f"http://127.0.0.1:{port}/v1/correct", json={"text": "I beleive it"},
                              headers={"Authorization": f"Bearer {tokens[name]}"}, timeout=60)

        assert correct("ann").json()["text"] == "I beleive it"  # her model (identity) changes nothing
        assert correct("bob").json()["text"] == "I believe it"  # the server's (symspell)
        first, second = correct("carol"), correct("carol")
        assert first.status_code == second.status_code == 200 and first.json()["text"] == "I believe it"
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json()["writer_models"] == {"loaded": 1, "max": 1}
    finally:
        process.terminate()
        stderr = process.communicate(timeout=30)[1].decode()
    assert stderr.count("cannot load the writer model") == 1 and "deleted-run" in stderr
    assert "Traceback" not in stderr
