"""The single-user files imported into the local writer: nothing lost, nothing twice, the files kept."""

from __future__ import annotations

import json

from spelltune.serve.personal import PersonalDictionary
from spelltune.serve.store import accounts
from spelltune.serve.store.dictionary import dictionary_words
from spelltune.serve.store.feedback import feedback_events
from spelltune.serve.store.legacy_import import import_local_files

DICTIONARY = "\ufeffJhon\r\n\n  alot  \n# a comment\nJHON\nnaïve\no'clock\nNew York\n" + "x" * 300 + "\nlast-line"
SUGGESTION = {"offset": 2, "length": 3, "original": "teh", "replacement": "the", "kind": "spelling"}


def _feedback_lines() -> str:
    good = [{"time": "2024-01-02T03:04:05Z", "decision": "accepted", "sentence": "I teh cat", "suggestion": SUGGESTION},
            {"time": "not a time", "decision": "rejected", "sentence": "Ünïcode ✓", "suggestion": {"original": "x"}},
            {"decision": "accepted", "suggestion": "a string", "extra": 1}]
    lines = [json.dumps(record, ensure_ascii=False) for record in good]
    lines[1:1] = ["", "not json", json.dumps(["a", "list"]), json.dumps({"decision": "maybe"})]
    return "\n".join(lines) + '\n{"time": "2024-01-0'  # a last line cut off by a crash


def test_the_files_are_imported_once_and_nothing_readable_is_lost(store, tmp_path):
    dictionary, feedback = tmp_path / "dictionary.txt", tmp_path / "feedback.jsonl"
    dictionary.write_text(DICTIONARY, encoding="utf-8")
    feedback.write_text(_feedback_lines(), encoding="utf-8")
    before = (dictionary.read_bytes(), feedback.read_bytes())

    report = import_local_files(store, dictionary, feedback)
    local = accounts.local_writer(store)
    words = dictionary_words(store, local.id)
    as_read_before = {w.lstrip("\ufeff").casefold() for w in PersonalDictionary(dictionary).words() if len(w) <= 256}
    assert {w.casefold() for w in words} == as_read_before
    assert words == ["alot", "JHON", "last-line", "naïve", "New York", "o'clock"]
    events = feedback_events(store, local.id)
    assert [(e.decision, e.sentence) for e in events] == [("accepted", "I teh cat"), ("rejected", "Ünïcode ✓"),
                                                          ("accepted", "")]
    assert events[0].suggestion == SUGGESTION and events[0].time.isoformat() == "2024-01-02T03:04:05+00:00"
    assert events[0].context == "I teh cat" and events[2].suggestion == {"value": "a string"}
    assert report.words == 6 and report.events == 3
    assert len(report.skipped) == 5  # the long word, "not json", the list, decision "maybe", the cut line
    assert "dictionary.txt:9" in report.skipped[0] and "imported 6 dictionary words" in report.summary()

    assert (dictionary.read_bytes(), feedback.read_bytes()) == before  # left in place, untouched
    again = import_local_files(store, dictionary, feedback)
    assert (again.words, again.events) == (0, 0) and again.summary().startswith("left out 1 unreadable")
    assert len(feedback_events(store, local.id)) == 3
    assert len(dictionary_words(store, local.id)) == 6


def test_dictionary_words_added_by_hand_are_merged_at_the_next_start(store, tmp_path):
    dictionary = tmp_path / "dictionary.txt"
    assert import_local_files(store, dictionary, None).summary() is None
    dictionary.write_text("later\n")
    assert import_local_files(store, dictionary, None).words == 1
    dictionary.write_text("later\nLATER\nmore\n")
    assert import_local_files(store, dictionary, None).words == 1
    assert dictionary_words(store, accounts.local_writer(store).id) == ["later", "more"]


def test_a_feedback_log_that_does_not_exist_yet_is_never_imported_later(store, tmp_path):
    feedback = tmp_path / "feedback.jsonl"
    import_local_files(store, None, feedback)  # from now on the server appends its own copy here
    feedback.write_text(json.dumps({"decision": "accepted", "sentence": "s", "suggestion": {}}) + "\n")
    assert import_local_files(store, None, feedback).events == 0
    assert feedback_events(store, accounts.local_writer(store).id) == []


def test_an_unreadable_file_is_reported_and_tried_again(store, tmp_path):
    dictionary, feedback = tmp_path / "dictionary.txt", tmp_path / "feedback.jsonl"
    dictionary.write_bytes(b"caf\xe9\n")
    feedback.write_bytes(b'{"decision": "accepted", "sentence": "caf\xe9"}\n')
    report = import_local_files(store, dictionary, feedback)
    assert report.words == report.events == 0 and all("cannot read it" in line for line in report.skipped)
    dictionary.write_text("café\n", encoding="utf-8")
    feedback.write_text('{"decision": "accepted", "sentence": "café"}\n', encoding="utf-8")
    report = import_local_files(store, dictionary, feedback)
    assert (report.words, report.events) == (1, 1)


def test_the_import_goes_to_the_local_writer_only(store, tmp_path):
    ann, _ = accounts.add_writer(store, "ann")
    (tmp_path / "dictionary.txt").write_text("mine\n")
    import_local_files(store, tmp_path / "dictionary.txt", None)
    assert dictionary_words(store, ann.id) == []
