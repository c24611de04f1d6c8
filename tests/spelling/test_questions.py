"""Question texts and answers, ordinals, even splits."""

import random
from collections import Counter

import pytest

from spelltune.spelling.questions import length_bins, make_question, ordinal, split_evenly


@pytest.mark.parametrize("number,expected", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                             (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd")])
def test_ordinal(number, expected):
    assert ordinal(number) == expected


def test_count_questions_answer_the_letter_count():
    rng = random.Random(0)
    for index in range(200):
        question = make_question("count", "strawberry", rng, 0.2, f"q{index}", "10-11", [])
        assert question.answer == str("strawberry".count(question.letter))
        assert question.question == f"How many '{question.letter}'s are in 'strawberry'?"


def test_count_answers_are_not_all_one():
    rng = random.Random(0)
    answers = Counter(make_question("count", "strawberry", rng, 0.15, "q", "10-11", []).answer for _ in range(400))
    assert answers["0"] > 20 and answers["3"] > 100 and answers["1"] > 50  # r is the only repeated letter


def test_position_questions_answer_the_letter_at_that_place():
    rng = random.Random(1)
    positions = set()
    for _ in range(300):
        question = make_question("position", "strawberry", rng, 0.0, "q", "10-11", [])
        positions.add(question.position)
        assert question.answer == "strawberry"[question.position - 1]
        assert question.question == f"What is the {ordinal(question.position)} letter in 'strawberry'?"
    assert positions == set(range(1, 11))


def test_split_evenly_and_bins():
    assert split_evenly(10, 3) == [4, 3, 3] and sum(split_evenly(7, 5)) == 7
    assert length_bins([4, 6, 8], 15) == [(4, 5), (6, 7), (8, 15)]
