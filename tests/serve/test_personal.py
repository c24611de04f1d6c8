"""The personal dictionary and feedback log: kept in local files, honoured by the API and `spelltune fix`."""

from __future__ import annotations

import json

import pytest

from spelltune.correct.corrector import Correction, Edit, Rejection
from spelltune.errors import InputError
from spelltune.serve.personal import FeedbackLog, PersonalDictionary, default_dictionary_path


def test_dictionary_filter_drops_edits_of_its_words_and_rebuilds_the_output(tmp_path):
    dictionary = PersonalDictionary(tmp_path / "words.txt")
    dictionary.add("Jhon")
    correction = Correction(
        input="Meet jhon at teh station", output="Meet John at the station",
        edits=[Edit(5, 9, "jhon", "John"), Edit(13, 16, "teh", "the")],
        rejected=[Rejection("jhon", "Jon", "changes a name", 5, 9)],
    )
    filtered = dictionary.filter(correction)
    assert filtered.output == "Meet jhon at the station"
    assert [e.original for e in filtered.edits] == ["teh"] and filtered.rejected == []
    assert PersonalDictionary(tmp_path / "words.txt").words() == ["Jhon"]  # saved, read back


@pytest.mark.parametrize("word", ["", "two words", "x" * 80, "<script>", "42"])
def test_dictionary_takes_one_word_only(tmp_path, word):
    with pytest.raises(InputError):
        PersonalDictionary(tmp_path / "words.txt").add(word)


def test_api_dictionary_is_honoured_by_correct_and_check(serve, scripted, http, tmp_path):
    server = serve(scripted)
    assert http.post(f"{server.url}/v1/correct", json={"text": "teh alot"}).json()["text"] == "the a lot"
    added = http.post(f"{server.url}/v1/dictionary", json={"word": "alot"})
    assert added.status_code == 200 and added.json()["words"] == ["alot"]
    assert (tmp_path / "dictionary.txt").read_text() == "alot\n"
    body = http.post(f"{server.url}/v1/correct", json={"text": "teh alot"}).json()
    assert body["text"] == "the alot" and [s["original"] for s in body["suggestions"]] == ["teh"]
    matches = http.post(f"{server.url}/v2/check", data={"text": "teh Alot", "language": "en"}).json()["matches"]
    assert [m["offset"] for m in matches] == [0]
    assert http.get(f"{server.url}/v1/dictionary").json()["words"] == ["alot"]
    assert http.delete(f"{server.url}/v1/dictionary/alot").status_code == 200
    assert http.delete(f"{server.url}/v1/dictionary/alot").status_code == 404
    assert http.post(f"{server.url}/v1/correct", json={"text": "alot"}).json()["text"] == "a lot"
    bad = http.post(f"{server.url}/v1/dictionary", json={"word": "two words"})
    assert bad.status_code == 400 and "single word" in bad.json()["error"]


def test_api_feedback_appends_one_json_line_per_decision(serve, scripted, http, tmp_path):
    server = serve(scripted)
    suggestion = {"offset": 2, "length": 3, "original": "teh", "replacement": "the", "kind": "spelling"}
    for decision in ("accepted", "rejected"):
        answer = http.post(f"{server.url}/v1/feedback",
                           json={"sentence": "I teh cat", "suggestion": suggestion, "decision": decision})
        assert answer.status_code == 200
    records = [json.loads(line) for line in (tmp_path / "feedback.jsonl").read_text().splitlines()]
    assert [r["decision"] for r in records] == ["accepted", "rejected"]
    assert records[0]["sentence"] == "I teh cat" and records[0]["suggestion"] == suggestion and records[0]["time"]
    bad = http.post(f"{server.url}/v1/feedback", json={"sentence": "x", "suggestion": {}, "decision": "maybe"})
    assert bad.status_code == 400


def test_fix_honours_the_dictionary_option_and_the_default_file(run_cli, trained_tiny_model_dir, tmp_path):
    words = tmp_path / "mine.txt"
    words.write_text("beleive\n")
    args = ["fix", "--model", str(trained_tiny_model_dir)]
    stdin = b"I beleive this is teh correct answr.\n"
    assert run_cli([*args, "--dictionary", str(words)], stdin).stdout == "I beleive this is the correct answer.\n"
    assert run_cli(args, stdin).stdout == "I believe this is the correct answer.\n"  # no default file yet
    PersonalDictionary(default_dictionary_path()).add("answr")
    assert run_cli(args, stdin).stdout == "I believe this is the correct answr.\n"
    missing = run_cli([*args, "--dictionary", str(tmp_path / "nope.txt")], stdin)
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_feedback_log_is_append_only(tmp_path):
    log = FeedbackLog(tmp_path / "sub" / "feedback.jsonl")
    log.append("a", {"original": "b"}, "accepted")
    log.append("c", {"original": "d"}, "rejected")
    assert len((tmp_path / "sub" / "feedback.jsonl").read_text().splitlines()) == 2


def test_the_single_user_files_are_imported_on_first_start_and_never_twice(serve, scripted, http, tmp_path):
    record = {"time": "2024-01-02T03:04:05Z", "decision": "accepted", "sentence": "I teh cat",
              "suggestion": {"offset": 2, "length": 3, "original": "teh", "replacement": "the"}}
    (tmp_path / "dictionary.txt").write_text("Jhon\nalot\n")
    (tmp_path / "feedback.jsonl").write_text(json.dumps(record) + "\nnot json\n")
    server = serve(scripted)
    assert http.get(f"{server.url}/v1/dictionary").json()["words"] == ["alot", "Jhon"]
    assert [e["sentence"] for e in http.get(f"{server.url}/v1/feedback").json()["events"]] == ["I teh cat"]
    http.post(f"{server.url}/v1/feedback", json={"sentence": "teh", "suggestion": {}, "decision": "rejected"})
    server.stop()

    again = serve(scripted)  # the same database: the feedback file, now with the new line too, is not read again
    events = http.get(f"{again.url}/v1/feedback").json()["events"]
    assert [e["decision"] for e in events] == ["accepted", "rejected"]
    assert (tmp_path / "feedback.jsonl").read_text().count("\n") == 3  # the file kept, appended to
    assert http.get(f"{again.url}/v1/dictionary").json()["words"] == ["alot", "Jhon"]
