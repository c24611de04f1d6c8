"""A writer's own data on real databases: dictionary, feedback, export and erase, kept apart."""

from __future__ import annotations

import json

import pytest

from spelltune.errors import InputError
from spelltune.serve.store import accounts
from spelltune.serve.store.dictionary import add_dictionary_word, dictionary_words, remove_dictionary_word
from spelltune.serve.store.feedback import (add_feedback_event, change_context, delete_feedback_event,
                                            delete_feedback_events, feedback_events, feedback_revision)
from spelltune.serve.store.writer_data import erase_writer_data, export_writer_data

SUGGESTION = {"offset": 5, "length": 3, "original": "teh", "replacement": "the", "kind": "spelling"}


@pytest.fixture
def two(store):
    ann, _ = accounts.add_writer(store, "ann")
    bob, _ = accounts.add_writer(store, "bob")
    return ann, bob


def test_dictionaries_are_per_writer_and_case_blind(store, two):
    ann, bob = two
    assert add_dictionary_word(store, ann.id, "Jhon") == "Jhon"
    assert add_dictionary_word(store, ann.id, "jhon") == "Jhon"  # the first spelling stays
    add_dictionary_word(store, ann.id, "alot")
    add_dictionary_word(store, bob.id, "JHON")
    assert dictionary_words(store, ann.id) == ["alot", "Jhon"]
    assert dictionary_words(store, bob.id) == ["JHON"]
    assert not remove_dictionary_word(store, bob.id, "alot")  # ann's word: not bob's to remove
    assert remove_dictionary_word(store, ann.id, "JHON")
    assert dictionary_words(store, ann.id) == ["alot"] and dictionary_words(store, bob.id) == ["JHON"]
    with pytest.raises(InputError):
        add_dictionary_word(store, ann.id, "two words")


def test_feedback_events_keep_the_suggestion_and_queryable_columns(store, two):
    ann, bob = two
    first = add_feedback_event(store, ann.id, "So I teh cat", SUGGESTION, "accepted")
    add_feedback_event(store, bob.id, "teh", {"original": "teh"}, "rejected")
    second = add_feedback_event(store, ann.id, "So I teh cat", SUGGESTION, "rejected")
    events = feedback_events(store, ann.id)
    assert [e.id for e in events] == [first.id, second.id]
    assert (events[0].original, events[0].replacement, events[0].context) == ("teh", "the", "I teh cat")
    assert events[0].suggestion == SUGGESTION and events[0].time.tzinfo is not None
    assert [e.id for e in feedback_events(store, ann.id, after_id=first.id)] == [second.id]
    assert not delete_feedback_event(store, bob.id, first.id)
    assert delete_feedback_event(store, ann.id, first.id)
    assert [e.id for e in feedback_events(store, ann.id)] == [second.id]
    with pytest.raises(InputError):
        add_feedback_event(store, ann.id, "x", {}, "maybe")


@pytest.mark.parametrize("sentence, offset, length, context", [
    ("So I teh cat", 5, 3, "I teh cat"), ("teh cat", 0, 3, "teh cat"), ("a teh", 2, 3, "a teh"),
    ("teh", 0, 3, "teh"), ("x", 5, 3, ""), ("x", "0", 1, ""), ("we dont eat", 3, 4, "we dont eat"),
])
def test_change_context_is_the_words_around_the_change(sentence, offset, length, context):
    assert change_context(sentence, offset, length) == context


def test_export_holds_everything_of_one_writer_and_nothing_of_others(store, two):
    ann, bob = two
    add_dictionary_word(store, ann.id, "Jhon")
    add_feedback_event(store, ann.id, "So I teh cat", SUGGESTION, "accepted")
    add_dictionary_word(store, bob.id, "bobword")
    exported = export_writer_data(store, ann)
    json.dumps(exported)  # JSON-ready
    assert exported["writer"]["name"] == "ann" and exported["dictionary"] == ["Jhon"]
    assert [e["suggestion"] for e in exported["feedback"]] == [SUGGESTION]
    assert [(i["id"], i["times"]) for i in exported["learned"]["items"]] == [("preferred:teh", 1)]
    assert "bobword" not in json.dumps(exported) and "hash" not in json.dumps(exported)


def test_erase_removes_all_of_one_writer_and_nothing_else(store, two):
    ann, bob = two
    _, token = accounts.add_writer(store, "cat")
    for writer in (ann, bob):
        add_dictionary_word(store, writer.id, "Jhon")
        add_feedback_event(store, writer.id, "So I teh cat", SUGGESTION, "accepted")
    assert erase_writer_data(store, ann.id) == {"dictionary": 1, "feedback": 1}
    assert dictionary_words(store, ann.id) == [] and feedback_events(store, ann.id) == []
    assert dictionary_words(store, bob.id) == ["Jhon"] and len(feedback_events(store, bob.id)) == 1
    cat = accounts.find_writer(store, "cat")
    assert erase_writer_data(store, cat.id, and_writer=True)["tokens"] == 1
    assert accounts.writer_for_token(store, token) is None
    assert [w.name for w in accounts.list_writers(store)] == ["ann", "bob"]


def test_every_change_to_a_writers_feedback_moves_their_revision_and_no_one_elses(store, two, tmp_path):
    from spelltune.serve.store.legacy_import import import_local_files

    ann, bob = two
    seen = [feedback_revision(store, ann.id)]

    def moved() -> bool:
        seen.append(feedback_revision(store, ann.id))
        return seen[-1] > seen[-2]

    first = add_feedback_event(store, ann.id, "So I teh cat", SUGGESTION, "accepted")
    assert moved()
    second = add_feedback_event(store, ann.id, "So I teh cat", SUGGESTION, "rejected")
    assert moved()
    assert not delete_feedback_event(store, ann.id, 10_000) and not moved()  # nothing deleted: nothing moves
    assert delete_feedback_event(store, ann.id, first.id) and moved()
    assert delete_feedback_events(store, bob.id, [second.id]) == 0 and not moved()  # not bob's to delete
    assert delete_feedback_events(store, ann.id, [second.id]) == 1 and moved()
    add_feedback_event(store, ann.id, "So I teh cat", SUGGESTION, "accepted")
    assert moved()
    erase_writer_data(store, ann.id)
    assert moved()
    assert feedback_revision(store, bob.id) == 0
    local = accounts.local_writer(store)
    before = feedback_revision(store, local.id)
    (tmp_path / "feedback.jsonl").write_text(json.dumps({"decision": "accepted", "sentence": "So I teh cat",
                                                         "suggestion": SUGGESTION}) + "\n")
    import_local_files(store, None, tmp_path / "feedback.jsonl")
    assert feedback_revision(store, local.id) == before + 1
