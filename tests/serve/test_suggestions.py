"""Each suggestion's kind is read from the edit itself."""

import pytest

from spelltune.serve.suggestions import edit_kind


@pytest.mark.parametrize("original, replacement, kind", [
    ("beleive", "believe", "spelling"),
    ("answr.", "answer.", "spelling"),
    ("their", "there", "real-word"),
    ("Wen", "When", "real-word"),
    ("dont", "don't", "apostrophe"),
    ("its", "it's", "apostrophe"),
    ("dosen't", "doesn't", "spelling"),
    ("alot", "a lot", "split-merge"),
    ("some one", "someone", "split-merge"),
    ("e mail", "e-mail", "split-merge"),
    ("monday", "Monday", "case"),
    ("i", "I", "case"),
])
def test_edit_kind(original, replacement, kind):
    assert edit_kind(original, replacement) == kind


@pytest.mark.parametrize("original, proposed, reason, offered", [
    ("tought", "told", "replaces a word with a different one", True),        # a misspelling: worth a look
    ("Yesterday", "Today", "replaces a word with a different one", False),   # correct word: a meaning change
    ("wasnt", "was", "drops a negation", False),
    ("Jhon", "John", "changes a name", False),
    ("5pm", "6pm", "changes a number", False),
    ("orreries", "orrearies", "replaces a correctly spelled word", False),
    ("teh big dgo sat", "the big dog sat", "rewrites several words", False),  # more than three words
    ("teh", None, "drops a word", False),
])
def test_only_refused_misspellings_become_hints(original, proposed, reason, offered):
    from spelltune.serve.suggestions import worth_a_hint

    assert worth_a_hint(original, proposed, reason) is offered
