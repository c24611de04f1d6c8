"""A Python client for `spelltune serve`, for scripts (standard library only).

    from spelltune.client import SpelltuneClient
    client = SpelltuneClient("http://127.0.0.1:8080")  # token="st_…" where the server has accounts
    result = client.correct("I beleive teh cat")
    print(result.text, [(s.original, s.replacement, s.kind) for s in result.suggestions])
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from spelltune.errors import SpelltuneError

DEFAULT_URL = "http://127.0.0.1:8080"


class ServerError(SpelltuneError):
    """The server could not be reached or answered with an error; `status` is the HTTP status (0: unreachable)."""

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Suggestion:
    """One proposed change: `original` at `offset:offset+length` of the text sent becomes `replacement`."""

    id: str
    offset: int
    length: int
    original: str
    replacement: str
    kind: str
    confidence: float | None = None


@dataclass(frozen=True)
class Refused:
    """A change the model proposed and the guard refused, and why."""

    id: str
    offset: int
    length: int
    original: str
    proposed: str
    reason: str
    hint: bool = False  # whether an editor may offer it as a weak hint


@dataclass
class CorrectResult:
    """The corrected text (every suggestion applied), the suggestions and the refused proposals."""

    text: str
    suggestions: list[Suggestion] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    model: str = ""


class SpelltuneClient:
    """Talks to one `spelltune serve` as the writer of `token` (none: single-user mode); retries a busy server
    (503) or a writer past their limit (429) up to `retries` times after its Retry-After."""

    def __init__(self, url: str = DEFAULT_URL, timeout: float = 120.0, retries: int = 2, token: str | None = None):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self._token = token

    def __repr__(self) -> str:  # never the token
        return f"SpelltuneClient({self.url!r}, signed_in={self._token is not None})"

    def correct(self, text: str) -> CorrectResult:
        """Correct `text` (many lines allowed)."""
        body = self._request("POST", "/v1/correct", json_body={"text": text})
        return CorrectResult(
            text=body["text"],
            suggestions=[Suggestion(**item) for item in body["suggestions"]],
            refused=[Refused(**item) for item in body["refused"]],
            model=body.get("model", ""),
        )

    def check(self, text: str, language: str = "en-US") -> dict:
        """LanguageTool's /v2/check answer for `text` (the JSON LanguageTool clients read)."""
        return self._request("POST", "/v2/check", form={"text": text, "language": language})

    def health(self) -> dict:
        """The server's /healthz: model, queue, batches."""
        return self._request("GET", "/healthz")

    def models(self) -> list[dict]:
        """The model the server runs."""
        return self._request("GET", "/v1/models")["models"]

    def dictionary(self) -> list[str]:
        """The personal dictionary's words."""
        return self._request("GET", "/v1/dictionary")["words"]

    def add_word(self, word: str) -> list[str]:
        """Never flag `word` again; returns the dictionary."""
        return self._request("POST", "/v1/dictionary", json_body={"word": word})["words"]

    def remove_word(self, word: str) -> list[str]:
        """Flag `word` again; returns the dictionary."""
        return self._request("DELETE", "/v1/dictionary/" + urllib.parse.quote(word, safe=""))["words"]

    def feedback(self, sentence: str, suggestion: Suggestion | dict, decision: str) -> dict:
        """Log a decision ("accepted" or "rejected") on a suggestion made in `sentence`."""
        if isinstance(suggestion, Suggestion):
            suggestion = suggestion.__dict__.copy()
        payload = {"sentence": sentence, "suggestion": suggestion, "decision": decision}
        return self._request("POST", "/v1/feedback", json_body=payload)["logged"]

    def _request(self, method: str, path: str, json_body: dict | None = None, form: dict | None = None) -> dict:
        data, headers = None, {"Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode("utf-8")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as error:
                message = _error_message(error)
                if error.code in (429, 503) and attempt < self.retries:
                    time.sleep(min(float(error.headers.get("Retry-After") or 1), 30.0))
                    continue
                raise ServerError(f"{method} {path}: {error.code} {message}", status=error.code) from None
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                raise ServerError(f"cannot reach spelltune serve at {self.url} ({reason}); start it with "
                                  "`spelltune serve`") from None
        raise AssertionError("unreachable")


def _error_message(error: urllib.error.HTTPError) -> str:
    try:
        return json.loads(error.read().decode("utf-8")).get("error", "")
    except (ValueError, AttributeError, OSError):
        return error.reason or ""
