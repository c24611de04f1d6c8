"""Word alignment: positional when counts match, a real alignment when they don't."""

from spelltune.evaluate.alignment import AlignedWord, align_words


def test_equal_counts_align_word_by_word():
    assert align_words("a bb c", "a b c", "a bb d") == [
        AlignedWord("a", "a", "a"),
        AlignedWord("bb", "b", "bb"),
        AlignedWord("c", "c", "d"),
    ]


def test_a_split_is_one_unit():
    units = align_words("gave us alot of work", "gave us a lot of work", "gave us alot of work")
    assert AlignedWord("alot", "a lot", "alot") in units
    assert len(units) == 5


def test_a_merge_is_one_unit():
    units = align_words("some thing here", "something here", "some thing here")
    assert units == [AlignedWord("some thing", "something", "some thing"), AlignedWord("here", "here", "here")]


def test_a_dropped_output_word_is_aligned_to_nothing():
    assert align_words("a b c", "a b c", "a c")[1] == AlignedWord("b", "b", "")


def test_empty_source():
    assert align_words("", "a", "b") == [AlignedWord("", "a", "b")]
