from hypothesis import given
from hypothesis import strategies as st

from spelltune.correct.corrector import Edit
from spelltune.correct.edits import apply_edits, compute_edits


def test_one_edit_per_replaced_word_with_spans_into_the_source():
    source = "I beleive  this is teh answr."
    edits = compute_edits(source, "I believe this is the answer.")
    assert [(e.original, e.replacement) for e in edits] == [("beleive", "believe"), ("teh", "the"), ("answr.", "answer.")]
    assert all(source[e.start : e.end] == e.original for e in edits)
    # The source's own spacing survives; only the words change.
    assert apply_edits(source, edits) == "I believe  this is the answer."


def test_split_and_merged_words_are_single_edits():
    edits = compute_edits("i want alot of some thing", "i want a lot of something")
    assert [(e.original, e.replacement) for e in edits] == [("alot", "a lot"), ("some thing", "something")]


def test_deletion_and_insertion_leave_no_double_spaces():
    assert apply_edits("the the cat", compute_edits("the the cat", "the cat")) == "the cat"
    assert apply_edits("cat sat", compute_edits("cat sat", "the cat sat")) == "the cat sat"
    assert apply_edits("the cat", compute_edits("the cat", "the cat sat")) == "the cat sat"
    assert apply_edits("cat sat down", compute_edits("cat sat down", "cat sat")) == "cat sat"


def test_edits_apply_in_any_order_and_insertions_at_one_place_in_the_order_given():
    edits = [Edit(8, 11, "teh", "the"), Edit(0, 4, "Ther", "The")]
    assert apply_edits("Ther is teh cat", edits) == "The is the cat"
    insertions = [Edit(4, 4, "", "big "), Edit(4, 4, "", "black "), Edit(4, 7, "cat", "dog")]
    assert apply_edits("the cat", insertions) == "the big black dog"


def test_identical_text_has_no_edits():
    assert compute_edits("Nothing to fix here.", "Nothing  to fix here.") == []


words = st.lists(st.sampled_from(["a", "the", "cat", "teh", "sat", "on", "mat.", "alot", "x"]), max_size=8)


@given(words, words)
def test_applying_the_edits_reproduces_the_target_words(source_words, target_words):
    source, target = " ".join(source_words), " ".join(target_words)
    assert apply_edits(source, compute_edits(source, target)).split() == target.split()
