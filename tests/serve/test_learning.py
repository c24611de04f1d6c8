"""Learning from feedback at once: rejected changes stay away in their context, accepted fixes are favoured."""

from __future__ import annotations

import pytest

from spelltune.correct.corrector import Correction, Edit, Rejection
from spelltune.correct.edits import compute_edits
from spelltune.errors import InputError
from spelltune.serve.learning import (LearnedPreferences, LearningRules, context_of, read_feedback_event,
                                      records_teaching)


def record(decision: str, sentence: str, original: str, replacement: str, time: str | None = None) -> dict:
    """A record as FeedbackLog writes it, the suggestion placed at the original's first occurrence."""
    offset = sentence.index(original)
    data = {"decision": decision, "sentence": sentence,
            "suggestion": {"offset": offset, "length": len(original), "original": original,
                           "replacement": replacement, "kind": "spelling", "confidence": None}}
    if time:
        data["time"] = time
    return data


def correction(source: str, target: str) -> Correction:
    return Correction(input=source, output=target, edits=compute_edits(source, target))


def test_a_rejection_holds_in_its_context_only_until_it_was_said_in_enough_places():
    learned = LearnedPreferences.from_feedback([record("rejected", "I live in Leeds now", "Leeds", "Leads")])
    # The same neighbours, another sentence: not offered.
    same = learned.filter(correction("We stayed in Leeds now and then", "We stayed in Leads now and then"))
    assert same.edits == [] and same.output == "We stayed in Leeds now and then"
    # Other neighbours: offered.
    other = learned.filter(correction("Leeds is grey", "Leads is grey"))
    assert [(e.original, e.replacement) for e in other.edits] == [("Leeds", "Leads")]
    # Said no in a second place: not offered anywhere.
    learned.learn(record("rejected", "Leeds is grey", "Leeds", "Leads"))
    assert learned.filter(correction("Off to Leeds tomorrow", "Off to Leads tomorrow")).edits == []
    [item] = learned.items()
    assert item.kind == "rejected" and item.everywhere and item.times == 2
    assert item.contexts == ("in Leeds now", "Leeds is")


def test_rejections_compare_without_case_or_edge_punctuation_and_keep_other_edits():
    learned = LearnedPreferences.from_feedback([record("rejected", "I live in Leeds now", "Leeds", "Leads")])
    fixed = learned.filter(correction("i live in leeds, now teh end", "i live in leads, now the end"))
    # "leeds," sits between "in" and "now" too; "teh -> the" stays and the output is rebuilt.
    assert [(e.original, e.replacement) for e in fixed.edits] == [("teh", "the")]
    assert fixed.output == "i live in leeds, now the end"
    assert all(fixed.input[e.start:e.end] == e.original for e in fixed.edits)


def test_the_everywhere_rule_follows_the_rules():
    feedback = [record("rejected", "I live in Leeds now", "Leeds", "Leads"),
                record("rejected", "Leeds is grey", "Leeds", "Leads")]
    never = LearnedPreferences.from_feedback(feedback, LearningRules(reject_everywhere_after=0))
    assert len(never.filter(correction("Off to Leeds tomorrow", "Off to Leads tomorrow")).edits) == 1
    wide = LearnedPreferences.from_feedback(feedback[:1], LearningRules(context_words=2, reject_everywhere_after=3))
    assert wide.filter(correction("we live in Leeds now", "we live in Leads now")).edits == []
    assert len(wide.filter(correction("they moved in Leeds now", "they moved in Leads now")).edits) == 1


def test_a_refused_proposal_the_writer_rejected_is_no_hint_any_more():
    learned = LearnedPreferences.from_feedback([record("rejected", "the wrod here", "wrod", "ward")])
    hinted = Correction("the wrod here", "the wrod here", rejected=[Rejection("wrod", "ward", "too far", 4, 8),
                                                                    Rejection("here", "hear", "x", 9, 13)])
    assert [r.proposed for r in learned.filter(hinted).rejected] == ["hear"]


def test_accepted_fixes_become_preferences_and_the_latest_decision_wins():
    learned = LearnedPreferences.from_feedback([
        record("accepted", "I came becuase it rained.", "becuase", "because", "2025-01-01T10:00:00Z"),
        record("accepted", "Becuase, I said.", "Becuase,", "Because,"),
        record("accepted", "the end, answr.", "answr.", "answer."),
        record("accepted", "i went", "i", "I"),  # case only: nothing to prefer
        record("accepted", "alot more", "alot", "a lot"),
    ])
    preferences = learned.spelling_preferences()
    assert preferences.preferred("becuase") == "because" and preferences.preferred("Answr") == "Answer"
    assert preferences.preferred("alot") == "a lot"
    assert preferences.preferred("i") is None
    item = next(item for item in learned.items() if item.id == "preferred:becuase")
    assert item.times == 2 and item.last_time == "2025-01-01T10:00:00Z"
    # Rejecting the preferred word drops the preference; accepting a rejected change drops the rejection.
    learned.learn(record("rejected", "so becuase of that", "becuase", "because"))
    assert learned.spelling_preferences().preferred("becuase") is None
    learned.learn(record("accepted", "so becuase of that", "becuase", "because"))
    assert learned.spelling_preferences().preferred("becuase") == "because"
    assert not any(item.kind == "rejected" for item in learned.items())


def test_a_new_choice_for_the_same_misspelling_replaces_the_old_one():
    learned = LearnedPreferences.from_feedback([record("accepted", "the dook", "dook", "door"),
                                                record("accepted", "a dook", "dook", "book")])
    assert learned.spelling_preferences().preferred("dook") == "book"
    assert next(item for item in learned.items() if item.kind == "preferred").times == 1


def test_forgetting_undoes_one_item_and_names_the_records_a_store_deletes():
    feedback = [record("rejected", "I live in Leeds now", "Leeds", "Leads"),
                record("accepted", "I came becuase it rained.", "becuase", "because"),
                record("rejected", "in Leeds now", "Leeds", "Leads")]
    learned = LearnedPreferences.from_feedback(feedback)
    ids = [item.id for item in learned.items()]
    assert ids == ["preferred:becuase", "rejected:leeds>leads"]
    assert records_teaching(feedback, "rejected:leeds>leads") == [0, 2]
    assert records_teaching(feedback, "preferred:becuase") == [1]
    assert learned.forget("rejected:leeds>leads") and not learned.forget("rejected:leeds>leads")
    assert len(learned.filter(correction("I live in Leeds now", "I live in Leads now")).edits) == 1
    assert learned.forget("preferred:becuase") and not learned.spelling_preferences()
    rebuilt = LearnedPreferences.from_feedback([r for i, r in enumerate(feedback)
                                                if i not in records_teaching(feedback, "preferred:becuase")])
    assert [item.id for item in rebuilt.items()] == ["rejected:leeds>leads"]


def test_export_is_plain_data():
    import json

    learned = LearnedPreferences.from_feedback([record("accepted", "teh cat", "teh", "the")])
    exported = json.loads(json.dumps(learned.to_json_dict()))
    assert exported["items"][0]["kind"] == "preferred" and exported["items"][0]["replacement"] == "the"
    assert exported["rules"] == {"context_words": 1, "reject_everywhere_after": 2}


def test_unreadable_records_are_skipped_and_counted_or_refused_when_learned_one_by_one():
    bad = [{"decision": "maybe", "sentence": "x", "suggestion": {}}, "not a dict",
           {"decision": "accepted", "sentence": "the cat", "suggestion": {"original": "dog", "replacement": "cat"}},
           {"decision": "rejected", "sentence": "x y", "suggestion": {"original": "", "replacement": "z"}}]
    learned = LearnedPreferences.from_feedback(bad + [record("accepted", "teh cat", "teh", "the")])
    assert learned.skipped == 4 and len(learned.items()) == 1
    with pytest.raises(InputError, match="not in its sentence"):
        learned.learn(bad[2])


def test_an_offset_that_no_longer_points_at_the_original_falls_back_to_finding_it():
    moved = {"decision": "rejected", "sentence": "we met in Leeds now",
             "suggestion": {"offset": 0, "length": 5, "original": "Leeds", "replacement": "Leads"}}
    event = read_feedback_event(moved)
    assert (event.start, event.end) == (10, 15)
    assert context_of(event.sentence, event.start, event.end, 1) == ("in", "now")
    assert context_of("Leeds", 0, 5, 2) == ("", "", "", "")


def test_edits_kept_keep_their_confidence_and_spans():
    learned = LearnedPreferences.from_feedback([record("rejected", "teh a b", "a", "x")])
    source = "teh a b"
    kept = learned.filter(Correction(source, "the x b", edits=[Edit(0, 3, "teh", "the", 0.9), Edit(4, 5, "a", "x")]))
    assert kept.edits == [Edit(0, 3, "teh", "the", 0.9)] and kept.output == "the a b"
