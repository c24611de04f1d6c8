"""`spelltune publish` / `spelltune data publish` against a local stand-in of the Hugging Face Hub API.

The stand-in is a real HTTP server on loopback answering the endpoints huggingface_hub calls for
create_repo + create_commit (repos/create, validate-yaml, preupload, commit), so the real client code runs.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from spelltune.export.publish import PublishError, plan_publish, publish_folder, write_checksums

pytest.importorskip("huggingface_hub", reason="huggingface_hub is not installed")


class HubStandIn:
    """A loopback server that records repositories and the files committed to them."""

    def __init__(self, refuse_token: bool = False) -> None:
        self.repos: dict[str, dict] = {}  # "model:user/name" -> {"private": bool, "files": {path: bytes}}
        self.requests: list[tuple[str, str, str | None]] = []
        self.refuse_token = refuse_token
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _reply(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                stand_in.requests.append(("GET", self.path, self.headers.get("Authorization")))
                self._reply(404, {"error": "not in the stand-in"})

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stand_in.requests.append(("POST", self.path, self.headers.get("Authorization")))
                if stand_in.refuse_token:
                    return self._reply(401, {"error": "Invalid credentials in Authorization header"})
                if self.path == "/api/repos/create":
                    request = json.loads(body)
                    repo_id = f"{request['organization']}/{request['name']}"
                    key = f"{request.get('type', 'model')}:{repo_id}"
                    stand_in.repos.setdefault(key, {"private": request.get("visibility") == "private", "files": {}})
                    prefix = "" if request.get("type", "model") == "model" else f"{request['type']}s/"
                    return self._reply(200, {"url": f"{stand_in.endpoint}/{prefix}{repo_id}"})
                if self.path == "/api/validate-yaml":
                    return self._reply(200, {"errors": [], "warnings": []})
                parts = self.path.split("/")  # /api/{type}s/{user}/{name}/{preupload|commit}/{revision}
                if len(parts) == 7 and parts[1] == "api" and parts[5] in ("preupload", "commit"):
                    key = f"{parts[2][:-1]}:{parts[3]}/{parts[4]}"
                    if key not in stand_in.repos:
                        return self._reply(404, {"error": "Repository not found"})
                    if parts[5] == "preupload":
                        files = json.loads(body)["files"]
                        return self._reply(200, {"files": [{"path": f["path"], "uploadMode": "regular",
                                                            "shouldIgnore": False} for f in files]})
                    for line in body.decode().splitlines():
                        item = json.loads(line)
                        if item["key"] == "file":
                            stand_in.repos[key]["files"][item["value"]["path"]] = base64.b64decode(item["value"]["content"])
                    return self._reply(200, {"commitUrl": f"{stand_in.endpoint}/{parts[3]}/{parts[4]}/commit/{'a' * 40}",
                                             "commitOid": "a" * 40})
                return self._reply(404, {"error": "not in the stand-in"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)  # conftest sets it; publishing is online by nature
    with HubStandIn() as stand_in:
        yield stand_in


@pytest.fixture
def export_dir(tmp_path) -> Path:
    folder = tmp_path / "export"
    (folder / "tokenizer").mkdir(parents=True)
    (folder / "README.md").write_text("---\nlicense: apache-2.0\n---\n# tiny corrector\n")
    (folder / "model.pte").write_bytes(bytes(range(256)) * 8)
    (folder / "tokenizer" / "tokenizer.json").write_text('{"version": "1.0"}')
    write_checksums(folder)
    return folder


def test_export_folder_lands_on_the_hub_with_card_and_checksums(hub, export_dir):
    result = publish_folder(export_dir, "me/tiny-corrector", token="hf_test", endpoint=hub.endpoint)
    files = hub.repos["model:me/tiny-corrector"]["files"]
    assert set(files) == {"README.md", "model.pte", "tokenizer/tokenizer.json", "SHA256SUMS"}
    assert files["model.pte"] == (export_dir / "model.pte").read_bytes()
    assert files["SHA256SUMS"] == (export_dir / "SHA256SUMS").read_bytes()
    assert result.url == f"{hub.endpoint}/me/tiny-corrector" and result.commit_url.endswith("a" * 40)
    assert hub.repos["model:me/tiny-corrector"]["private"] is False
    assert all(auth == "Bearer hf_test" for _, _, auth in hub.requests)


def test_private_flag_and_token_from_the_environment(hub, export_dir, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_from_env")
    publish_folder(export_dir, "me/private-one", private=True, endpoint=hub.endpoint)
    assert hub.repos["model:me/private-one"]["private"] is True
    assert {auth for _, _, auth in hub.requests} == {"Bearer hf_from_env"}


def test_dataset_card_becomes_the_dataset_readme(hub, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "card.md").write_text("# my corrections\n")
    (folder / "train.jsonl").write_text('{"text": "teh", "corrected": "the"}\n')
    write_checksums(folder)
    publish_folder(folder, "me/typos", repo_type="dataset", token="t", endpoint=hub.endpoint)
    files = hub.repos["dataset:me/typos"]["files"]
    assert files["README.md"] == b"# my corrections\n"
    assert {"train.jsonl", "SHA256SUMS"} <= set(files)
    assert any("/api/datasets/me/typos/commit/" in path for _, path, _ in hub.requests)


def test_folder_without_a_card_is_refused(export_dir):
    (export_dir / "README.md").unlink()
    write_checksums(export_dir)
    with pytest.raises(PublishError, match="no model card"):
        plan_publish(export_dir)


def test_a_file_missing_from_the_checksums_is_refused(export_dir):
    (export_dir / "extra.bin").write_bytes(b"\1\2")
    with pytest.raises(PublishError, match="no entry for extra.bin"):
        plan_publish(export_dir)


def test_a_file_changed_after_checksumming_is_refused(export_dir):
    (export_dir / "model.pte").write_bytes(b"changed")
    with pytest.raises(PublishError, match="model.pte.*does not match"):
        plan_publish(export_dir)


def test_no_checksums_file_is_refused_with_the_fix(tmp_path):
    (tmp_path / "README.md").write_text("# card\n")
    with pytest.raises(PublishError, match="no SHA256SUMS.*--write-checksums"):
        plan_publish(tmp_path)


def test_refused_token_is_one_clear_error(export_dir, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with HubStandIn(refuse_token=True) as hub, pytest.raises(PublishError, match="refused the token.*HTTP 401"):
        publish_folder(export_dir, "me/x", token="bad", endpoint=hub.endpoint)


def test_unreachable_hub_is_one_clear_error(export_dir, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(PublishError, match="cannot reach the Hugging Face Hub.*needs network access"):
        publish_folder(export_dir, "me/x", token="t", endpoint=f"http://127.0.0.1:{port}")


def test_cli_publishes_and_prints_the_commit(run_cli, hub, export_dir):
    result = run_cli(["publish", str(export_dir), "--repo", "me/cli-model", "--token", "t", "--endpoint", hub.endpoint])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("a" * 40)
    assert "published 4 files" in result.stderr


def test_cli_data_publish_with_written_checksums(run_cli, hub, tmp_path):
    (tmp_path / "card.md").write_text("# card\n")
    (tmp_path / "test.jsonl").write_text("{}\n")
    result = run_cli(["data", "publish", str(tmp_path), "--repo", "me/cli-data", "--token", "t",
                      "--endpoint", hub.endpoint, "--write-checksums"])
    assert result.exit_code == 0, result.stderr
    # card.md stays (SHA256SUMS lists it, so a download still verifies) and is the README too.
    files = hub.repos["dataset:me/cli-data"]["files"]
    assert set(files) == {"README.md", "card.md", "test.jsonl", "SHA256SUMS"}
    assert files["README.md"] == files["card.md"]


def test_cli_dry_run_lists_files_without_network(run_cli, export_dir):
    result = run_cli(["publish", str(export_dir), "--repo", "me/x", "--dry-run"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["README.md", "model.pte", "tokenizer/tokenizer.json", "SHA256SUMS"]


@pytest.mark.parametrize("case", ["no-token", "offline", "bad-repo", "no-card"])
def test_cli_errors_are_one_line_exit_2(run_cli, export_dir, tmp_path, monkeypatch, case):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))  # no stored login
    args = ["publish", str(export_dir), "--repo", "me/x"]
    if case == "offline":
        args += ["--token", "t"]  # conftest sets HF_HUB_OFFLINE=1
    elif case == "bad-repo":
        args = ["publish", str(export_dir), "--repo", "just-a-name", "--token", "t"]
    elif case == "no-card":
        (export_dir / "README.md").unlink()
        args += ["--token", "t"]
    result = run_cli(args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    expected = {"no-token": "no Hugging Face token", "offline": "HF_HUB_OFFLINE is set",
                "bad-repo": "user/name", "no-card": "no model card"}[case]
    assert expected in lines[0]
