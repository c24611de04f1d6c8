"""Property tests of the HTTP API (skipped where the tree has no server): for any text, `/v1/correct`
answers 200 with one line per request line and its text is the request with exactly its suggestions
applied; `/v2/check` answers 200 with matches that index the request text.

Correctors: symspell and the LM corrector behind a hostile engine that answers anything.
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
app_module = pytest.importorskip("spelltune.serve.app")

SPECIAL = ["\x00", "\t", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\ufeff", "\u200f", "\u202e", "e\u0301",
           "👩\u200d👩\u200d👧", "<|im_end|>", "שלום", "你好", "teh", "beleive", "Siobhan", "5pm", "www.example.org"]
_text = st.lists(st.one_of(st.sampled_from(SPECIAL), st.text(st.characters(codec="utf-8"), max_size=8),
                           st.sampled_from(["\n", "\r\n", " ", "  "])), max_size=30).map("".join)


def examples(share: float) -> int:
    """This test's example count: a share of the active profile's budget."""
    return max(5, int(settings.default.max_examples * share))


class _Hostile:
    rng = random.Random(0)


def _hostile_corrector(tokenizer_dir):
    from transformers import AutoTokenizer

    from spelltune.correct.config import CorrectorConfig
    from spelltune.correct.lm import LMCorrector
    from spelltune.engine.base import Engine

    class HostileEngine(Engine):
        backend = "hostile"

        def generate(self, prompts, max_new_tokens, *, batch_size=16, on_progress=None):
            answers = []
            for prompt in prompts:
                text = prompt.rpartition("<|im_start|>user\n")[2].rpartition("<|im_end|>\n<|im_start|>assistant\n")[0]
                words = text.split()
                mode = _Hostile.rng.randrange(5)
                if mode == 0 and words:
                    words[_Hostile.rng.randrange(len(words))] = "teh"
                elif mode == 1 and words:
                    del words[_Hostile.rng.randrange(len(words))]
                elif mode == 2:
                    words = ["garbage", "\n", "out"]
                elif mode == 3:
                    words = words * 3
                answers.append(" ".join(words))
            return answers

        def score_many(self, requests):
            return [[-_Hostile.rng.random() for _ in continuations] for _, continuations in requests]

    engine = HostileEngine("hostile", "hostile", AutoTokenizer.from_pretrained(tokenizer_dir))
    return LMCorrector(engine, CorrectorConfig())


class _Server:
    def __init__(self, app):
        import socket

        import uvicorn

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.02)

    def post(self, path: str, data: bytes, content_type: str) -> tuple[int, dict]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method="POST",
                                         headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {}


@pytest.fixture(scope="module", params=["symspell", "hostile"])
def server(request, smollm2_tokenizer_dir, tmp_path_factory):
    from spelltune.correct.load import load_corrector

    corrector = load_corrector("symspell") if request.param == "symspell" else _hostile_corrector(smollm2_tokenizer_dir)
    folder = tmp_path_factory.mktemp("server-data")
    settings_ = app_module.ServeSettings(dictionary_path=folder / "dictionary.txt", feedback_path=folder / "feedback.jsonl",
                                         database_url=f"sqlite:///{folder / 'spelltune.db'}")  # never the user's
    running = _Server(app_module.create_app(corrector, settings_))
    yield running
    running.server.should_exit = True
    running.thread.join(timeout=10)


@settings(max_examples=examples(0.15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_text, seed=st.integers(0, 2**32))
def test_v1_correct_answers_the_request_with_exactly_its_suggestions_applied(server, text, seed):
    _Hostile.rng = random.Random(seed)
    status, answer = server.post("/v1/correct", json.dumps({"text": text}).encode(), "application/json")
    assert status == 200, (status, text)
    assert answer["text"].count("\n") == text.count("\n")
    result = text
    for suggestion in sorted(answer["suggestions"], key=lambda s: s["offset"], reverse=True):
        start, end = suggestion["offset"], suggestion["offset"] + suggestion["length"]
        assert 0 <= start <= end <= len(text) and text[start:end] == suggestion["original"]
        result = result[:start] + suggestion["replacement"] + result[end:]
    assert result == answer["text"]


@settings(max_examples=examples(0.1), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_text, seed=st.integers(0, 2**32))
def test_v2_check_answers_with_matches_inside_the_text(server, text, seed):
    _Hostile.rng = random.Random(seed)
    body = urllib.parse.urlencode({"text": text, "language": "en-US"}).encode()
    status, answer = server.post("/v2/check", body, "application/x-www-form-urlencoded")
    if not text:
        assert status in (200, 400)  # LanguageTool treats an empty text as a missing parameter
        return
    assert status == 200, (status, text)
    for match in answer["matches"]:
        assert 0 <= match["offset"] <= match["offset"] + match["length"] <= len(text)
