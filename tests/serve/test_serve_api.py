"""`spelltune serve`'s HTTP API against a real uvicorn on a loopback port: shapes, limits, isolation."""

from __future__ import annotations

import json
import threading
import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")


def test_correct_places_each_suggestion_in_the_whole_input(serve, scripted, http):
    server = serve(scripted)
    text = "I beleive teh cat\n\n  \r\nwe dont eat alot"
    answer = http.post(f"{server.url}/v1/correct", json={"text": text})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["text"] == "I believe the cat\n\n  \r\nwe don't eat a lot"
    assert [s["id"] for s in body["suggestions"]] == ["s1", "s2", "s3", "s4"]
    for suggestion in body["suggestions"]:
        assert text[suggestion["offset"]:suggestion["offset"] + suggestion["length"]] == suggestion["original"]
        assert suggestion["confidence"] == 0.9
    assert [s["kind"] for s in body["suggestions"]] == ["spelling", "spelling", "apostrophe", "split-merge"]
    assert scripted.calls == [["I beleive teh cat", "we dont eat alot"]]  # blank lines never reach the model


def test_refused_proposals_come_back_placed_on_a_trained_tiny_model(serve, http, trained_tiny_model_dir):
    from spelltune.correct.load import load_corrector

    server = serve(load_corrector(str(trained_tiny_model_dir)))
    text = "I beleive this is teh correct answr.\nMeet Jhon at 5pm today."
    body = http.post(f"{server.url}/v1/correct", json={"text": text}).json()
    assert body["text"] == "I believe this is the correct answer.\nMeet Jhon at 5pm today."
    assert [(s["original"], s["replacement"]) for s in body["suggestions"]] == [
        ("beleive", "believe"), ("teh", "the"), ("answr.", "answer.")]
    assert all(0.0 <= s["confidence"] <= 1.0 for s in body["suggestions"] if s["confidence"] is not None)
    reasons = {r["reason"] for r in body["refused"]}
    assert reasons == {"changes a name", "changes a number"}
    for refused in body["refused"]:
        assert text[refused["offset"]:refused["offset"] + refused["length"]] == refused["original"]
        assert refused["hint"] is False  # a name or a number is never offered, not even as a weak hint


@pytest.mark.parametrize("body, fragment", [
    (b'{"text": ', "not valid JSON"),
    (b'{"txt": "hello"}', "text"),
    (b'{"text": 42}', "text"),
    (b"[1, 2]", "bad request"),
    (b"\xff\xfe", "bad request"),
])
def test_bad_json_is_a_400_with_a_message(serve, scripted, http, body, fragment):
    server = serve(scripted)
    answer = http.post(f"{server.url}/v1/correct", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 400
    assert fragment in answer.json()["error"]
    assert http.get(f"{server.url}/healthz").status_code == 200  # and the server is still up


def test_a_body_over_the_limit_is_a_413_with_or_without_its_length(serve, scripted, http):
    server = serve(scripted, max_body_bytes=1024)
    big = json.dumps({"text": "teh " * 400}).encode()
    assert http.post(f"{server.url}/v1/correct", content=big,
                     headers={"content-type": "application/json"}).status_code == 413

    def chunks():
        for start in range(0, len(big), 100):
            yield big[start:start + 100]

    chunked = http.post(f"{server.url}/v1/correct", content=chunks(), headers={"content-type": "application/json"})
    assert chunked.status_code == 413
    small = http.post(f"{server.url}/v1/correct", json={"text": "teh cat"})
    assert small.json()["text"] == "the cat"
    assert not any("teh teh teh" in " ".join(call) for call in scripted.calls)


def _post_in_thread(http_url: str, text: str, results: dict, key: str) -> threading.Thread:
    import httpx

    def run():
        with httpx.Client(timeout=60) as client:
            results[key] = client.post(f"{http_url}/v1/correct", json={"text": text})

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_full_queue_answers_503_with_retry_after(serve, scripted, http):
    server = serve(scripted, max_queue=1)
    scripted.release.clear()
    results: dict = {}
    first = _post_in_thread(server.url, "teh one", results, "first")
    assert scripted.entered.wait(10)  # the model is busy with the first request
    second = _post_in_thread(server.url, "teh two", results, "second")
    deadline = time.monotonic() + 10
    while http.get(f"{server.url}/healthz").json()["queue"]["waiting"] < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    third = http.post(f"{server.url}/v1/correct", json={"text": "teh three"})
    assert third.status_code == 503
    assert int(third.headers["retry-after"]) >= 1
    assert "busy" in third.json()["error"]
    scripted.release.set()
    first.join(10)
    second.join(10)
    assert results["first"].json()["text"] == "the one"
    assert results["second"].json()["text"] == "the two"


def test_waiting_requests_share_one_model_call_and_each_gets_only_its_own_lines(serve, scripted, http):
    server = serve(scripted, gather_ms=50)
    scripted.release.clear()
    results: dict = {}
    threads = [_post_in_thread(server.url, "teh first", results, "warm")]
    assert scripted.entered.wait(10)
    texts = {f"client{n}": f"client{n} wrote teh\nsecond line of client{n} alot" for n in range(4)}
    threads += [_post_in_thread(server.url, text, results, key) for key, text in texts.items()]
    deadline = time.monotonic() + 10
    while http.get(f"{server.url}/healthz").json()["queue"]["waiting"] < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    scripted.release.set()
    for thread in threads:
        thread.join(20)
    assert len(scripted.calls) == 2 and len(scripted.calls[1]) == 8  # four requests, one model call
    for key, text in texts.items():
        body = results[key].json()
        assert body["text"] == text.replace("teh", "the").replace("alot", "a lot")
        assert all(text[s["offset"]:s["offset"] + s["length"]] == s["original"] for s in body["suggestions"])
    assert http.get(f"{server.url}/healthz").json()["batches"]["largest_batch_requests"] == 4


def test_a_request_past_its_time_limit_gets_504_and_the_server_goes_on(serve, scripted, http):
    server = serve(scripted, request_timeout=0.3)
    scripted.release.clear()
    answer = http.post(f"{server.url}/v1/correct", json={"text": "teh slow"})
    assert answer.status_code == 504 and "longer than" in answer.json()["error"]
    scripted.release.set()
    assert http.post(f"{server.url}/v1/correct", json={"text": "teh fast"}).json()["text"] == "the fast"


def test_a_failing_model_is_a_json_error_not_a_crash(serve, http):
    class Broken:
        name = "broken"
        calls = 0

        def correct_lines(self, lines):
            Broken.calls += 1
            if Broken.calls == 1:
                raise RuntimeError("out of memory")
            return []

    server = serve(Broken())
    answer = http.post(f"{server.url}/v1/correct", json={"text": "teh"})
    assert answer.status_code == 500 and answer.json()["error"].startswith("internal error")
    assert http.get(f"{server.url}/healthz").json()["batches"]["errors"] == 1


def test_a_corrector_that_loses_or_rewrites_lines_cannot_change_the_text(serve, http):
    from spelltune.correct.corrector import Correction, Edit

    class Careless:
        name = "careless"

        def correct_lines(self, lines):
            # An answer for another line, an output its edits do not explain, then nothing for the rest.
            return [Correction(input="other", output="other"),
                    Correction(input=lines[1], output="rewritten", edits=[Edit(0, 3, lines[1][:3], "the")])]

    server = serve(Careless())
    text = "teh cat\nsat on teh mat\nlast line"
    answer = http.post(f"{server.url}/v1/correct", json={"text": text})
    assert answer.status_code == 200
    assert answer.json()["text"] == text and answer.json()["suggestions"] == []


def test_languagetool_form_text_gets_languagetool_matches(serve, scripted, http):
    server = serve(scripted)
    text = "I beleive it. We dont know."
    answer = http.post(f"{server.url}/v2/check", data={"text": text, "language": "en-US", "enabledOnly": "false"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["language"]["code"] == "en-US" and "name" in body["software"]
    first, second = body["matches"]
    assert (first["offset"], first["length"], first["replacements"]) == (2, 7, [{"value": "believe"}])
    assert first["rule"]["category"] == {"id": "TYPOS", "name": "Possible Typo"}
    assert first["rule"]["issueType"] == "misspelling" and first["type"] == {"typeName": "UnknownWord"}
    assert first["sentence"] == "I beleive it."
    context = first["context"]
    assert context["text"][context["offset"]:context["offset"] + context["length"]] == "beleive"
    assert second["rule"]["id"] == "SPELLTUNE_APOSTROPHE" and second["sentence"] == "We dont know."
    for match in body["matches"]:
        assert {"message", "shortMessage", "offset", "length", "replacements", "context", "sentence", "rule"} <= set(match)


def test_languagetool_check_also_takes_query_parameters(serve, scripted, http):
    server = serve(scripted)
    body = http.get(f"{server.url}/v2/check", params={"text": "we dont", "language": "en-GB"}).json()
    assert body["language"]["code"] == "en-GB"
    assert [(m["offset"], m["replacements"][0]["value"]) for m in body["matches"]] == [(3, "don't")]


def test_languagetool_annotated_data_skips_markup_but_counts_it_in_offsets(serve, scripted, http):
    server = serve(scripted)
    annotation = {"annotation": [
        {"text": "I "}, {"markup": "<b>"}, {"text": "beleive"}, {"markup": "</b>"},
        {"markup": "<p>", "interpretAs": "\n\n"}, {"text": "teh end"},
    ]}
    document = "I <b>beleive</b><p>teh end"
    body = http.post(f"{server.url}/v2/check", data={"data": json.dumps(annotation), "language": "auto"}).json()
    assert [(m["offset"], m["length"]) for m in body["matches"]] == [(5, 7), (19, 3)]
    assert [document[m["offset"]:m["offset"] + m["length"]] for m in body["matches"]] == ["beleive", "teh"]
    assert scripted.calls == [["I beleive", "teh end"]]  # markup never reaches the model


@pytest.mark.parametrize("form, fragment", [
    ({"language": "en-US"}, "'text' or 'data'"),
    ({"data": "{not json", "language": "en-US"}, "not valid JSON"),
    ({"data": json.dumps({"annotation": [{"bold": "x"}]})}, "neither 'text' nor 'markup'"),
    ({"data": json.dumps({"annotation": "x"})}, "'annotation' list"),
])
def test_languagetool_bad_requests_are_400s(serve, scripted, http, form, fragment):
    server = serve(scripted)
    answer = http.post(f"{server.url}/v2/check", data=form)
    assert answer.status_code == 400 and fragment in answer.json()["error"]


def test_languagetool_other_languages_get_no_matches_and_languages_lists_english(serve, scripted, http):
    server = serve(scripted)
    body = http.post(f"{server.url}/v2/check", data={"text": "teh Haus", "language": "de-DE"}).json()
    assert body["matches"] == [] and scripted.calls == []
    languages = http.get(f"{server.url}/v2/languages").json()
    assert {"name": "English (US)", "code": "en", "longCode": "en-US"} in languages


def test_browser_extensions_may_call_the_languagetool_api_but_other_sites_may_not(serve, scripted, http):
    server = serve(scripted)
    extension = {"Origin": "chrome-extension://abcdef", "Access-Control-Request-Method": "POST"}
    assert http.options(f"{server.url}/v2/check", headers=extension).headers.get(
        "access-control-allow-origin") == "chrome-extension://abcdef"
    site = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    assert "access-control-allow-origin" not in http.options(f"{server.url}/v2/check", headers=site).headers


def test_healthz_models_and_docs(serve, scripted, http):
    server = serve(scripted, model="my-spec")
    health = http.get(f"{server.url}/healthz").json()
    assert health["status"] == "ok" and health["model"] == "scripted"
    assert http.get(f"{server.url}/v1/models").json()["models"][0]["id"] == "my-spec"
    assert http.get(f"{server.url}/docs").status_code == 200
    paths = http.get(f"{server.url}/openapi.json").json()["paths"]
    assert {"/v1/correct", "/v2/check", "/v2/languages", "/healthz", "/v1/models"} <= set(paths)


def test_lone_surrogates_in_json_do_not_break_offsets(serve, scripted, http):
    server = serve(scripted)
    body = http.post(f"{server.url}/v1/correct", content=b'{"text": "\\udc80 teh"}',
                     headers={"content-type": "application/json"}).json()
    assert body["suggestions"][0]["offset"] == 2


def test_the_editor_is_served_and_loads_nothing_from_elsewhere(serve, scripted, http):
    import re
    from pathlib import Path

    server = serve(scripted)
    page = http.get(f"{server.url}/")
    assert page.status_code == 200 and 'id="text"' in page.text
    static = Path(__file__).resolve().parents[2] / "spelltune" / "serve" / "static"
    for name in ("index.html", "editor.js", "editor.css"):
        served = http.get(f"{server.url}/static/{name}")
        assert served.status_code == 200 and served.text == (static / name).read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", served.text), f"{name} refers to another site"
