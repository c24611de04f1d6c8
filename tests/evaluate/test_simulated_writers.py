"""Simulated writers: built the same way every time from real misspellings, writing their habits consistently."""

from __future__ import annotations

import random

import pytest

from spelltune.data.types import WordMisspelling
from spelltune.errors import InputError
from spelltune.evaluate.simulated_writers import (TENDENCIES, SimulatedWriter, build_writers, habit_candidates,
                                                  judge_suggestion, session_sentences, write_sentence)

SENTENCES = ["We left because it rained.", "My friend is here.", "Because of you, we won.",
             "The friend of my friend came.", "It rained all day."]


def writer(**changes) -> SimulatedWriter:
    values = dict(name="w", habits={"because": "becuase", "friend": "freind"}, tendency="dropped doubles",
                  names=("Siobhan",), tendency_rate=0.0, name_rate=0.0)
    return SimulatedWriter(**{**values, **changes})


def test_habit_words_are_misspelled_the_same_way_every_time_and_keep_case_and_punctuation():
    rng = random.Random(0)
    written = [write_sentence(writer(), s, rng) for s in SENTENCES]
    assert written[0].written == "We left becuase it rained."
    assert written[2].written == "Becuase of you, we won."
    assert written[3].written == "The freind of my freind came."
    assert [(e.index, e.clean, e.written, e.kind) for e in written[3].errors] == \
        [(1, "friend", "freind", "habit"), (4, "friend", "freind", "habit")]
    assert written[4].written == written[4].clean and written[4].errors == ()
    assert all(len(w.written.split()) == len(w.clean.split()) for w in written)


def test_a_tendency_slip_strikes_one_other_word_and_a_name_is_addressed_in_front():
    rng = random.Random(3)
    slipped = write_sentence(writer(tendency_rate=1.0, name_rate=1.0), "The committee will meet tomorrow.", rng)
    assert slipped.clean == "Siobhan, the committee will meet tomorrow." and slipped.names == ("Siobhan",)
    [error] = slipped.errors
    assert error.kind == "tendency" and error.clean in ("committee", "will", "tomorrow.")
    assert len(error.written) == len(error.clean) - 1  # a doubled letter typed once
    kept_i = write_sentence(writer(name_rate=1.0), "I think so.", random.Random(0))
    assert kept_i.clean == "Siobhan, I think so."


def test_a_suggestion_is_right_only_when_every_token_it_changes_becomes_the_clean_one():
    sentence = write_sentence(writer(), "The friend of my friend came.", random.Random(0))
    offset = sentence.written.index("freind")
    right = judge_suggestion(sentence, offset, 6, "friend")
    assert right.right and right.fixed == [1]
    assert not judge_suggestion(sentence, offset, 6, "fiend").right
    assert not judge_suggestion(sentence, 0, 3, "A").right  # a correct token changed
    assert not judge_suggestion(sentence, offset, 6, "best friend").right  # a word added
    named = write_sentence(writer(name_rate=1.0), "It rained.", random.Random(0))
    wrong = judge_suggestion(named, 0, len("Siobhan,"), "Siobhan's,")
    assert not wrong.right and wrong.name == "Siobhan"


def test_writers_are_built_the_same_for_the_same_seed_from_words_the_sentences_use():
    misspellings = [WordMisspelling("because", m, "t") for m in ("becuase", "becos")] + \
        [WordMisspelling("friend", "freind", "t"), WordMisspelling("rained", "raned", "t"),
         WordMisspelling("zebra", "zeebra", "t"), WordMisspelling("friend", "fiend", "t")]
    candidates = habit_candidates(misspellings, SENTENCES, known=frozenset({"fiend"}), min_sentences=2)
    # "zebra" is in no sentence, "fiend" is a real word: neither is a habit.
    assert candidates == {"because": ["becos", "becuase"], "friend": ["freind"], "rained": ["raned"]}
    first = build_writers(3, candidates, seed=7, habits_per_writer=2, names_per_writer=2)
    again = build_writers(3, candidates, seed=7, habits_per_writer=2, names_per_writer=2)
    assert first == again and len({w.name for w in first}) == 3
    assert all(len(w.habits) == 2 and w.habits[word] in candidates[word] for w in first for word in w.habits)
    assert all(w.tendency in TENDENCIES and len(w.names) == 2 for w in first)
    with pytest.raises(InputError, match="need 5 per writer"):
        build_writers(1, candidates, habits_per_writer=5)


def test_sessions_hold_different_sentences_habit_words_first():
    sessions = session_sentences(writer(), SENTENCES, sessions=2, per_session=2)
    flat = [s for session in sessions for s in session]
    assert len(flat) == len(set(flat)) == 4
    assert all(any(word in s.lower() for word in ("because", "friend")) for s in flat[:3])
    with pytest.raises(InputError, match="give more sentences"):
        session_sentences(writer(), SENTENCES, sessions=3, per_session=2)


def test_real_corpora_give_enough_writers(shared_data):
    from spelltune.correct.dictionary import known_words
    from spelltune.data.sources import load_embedded_sentences, load_mitton_dat

    misspellings = load_mitton_dat(shared_data / "mitton" / "missp.dat")
    sentences = [s.text for s in load_embedded_sentences()]
    candidates = habit_candidates(misspellings, sentences, known_words())
    writers = build_writers(4, candidates, seed=0)
    assert len(candidates) >= 100 and all(len(w.habits) == 30 for w in writers)
    assert len({tuple(sorted(w.habits.items())) for w in writers}) == 4
