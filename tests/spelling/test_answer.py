"""Parsing an integer, a letter or a spelling out of a generation."""

import pytest

from spelltune.spelling.answer import parse_count, parse_letter, parse_spelling


@pytest.mark.parametrize("text,expected", [
    ("3", 3), ("3<|im_end|>", 3), (" There are 3 r's.", 3), ("three", 3), ("It appears twice.", 2), ("0", 0),
    ("none", 0), ("12\nHow many", 12), ("", None), ("I don't know", None), ("<think>maybe 5</think>2", 2),
])
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("r", "r"), ("R.", "r"), ("'x'", "x"), ('The 3rd letter is "r".', "r"), ("The letter is b", "b"),
    ("a", "a"), ("", None), ("strawberry", None), ("The answer: t", "t"),
])
def test_parse_letter(text, expected):
    assert parse_letter(text) == expected


def test_parse_spelling():
    assert parse_spelling("B-e-r-r-y\nnext line") == "berry"
    assert parse_spelling("b -> e -> r") == "ber"
