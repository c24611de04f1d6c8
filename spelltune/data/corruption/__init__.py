"""One function per error type. Each takes a word (or two) and an explicit `random.Random`, and
returns the corrupted form, or None when the error type cannot apply to that word."""

from spelltune.data.corruption.case import add_case_noise, match_case
from spelltune.data.corruption.dyslexic import reverse_dyslexic_letters
from spelltune.data.corruption.keyboard import insert_neighbour_key, substitute_adjacent_key
from spelltune.data.corruption.letters import delete_letter, double_letter, transpose_letters, undouble_letter
from spelltune.data.corruption.misspellings import substitute_real_misspelling
from spelltune.data.corruption.real_words import drop_apostrophe, swap_homophone, swap_real_word_error
from spelltune.data.corruption.spacing import merge_words, split_word

__all__ = [
    "add_case_noise",
    "delete_letter",
    "double_letter",
    "drop_apostrophe",
    "insert_neighbour_key",
    "match_case",
    "merge_words",
    "reverse_dyslexic_letters",
    "split_word",
    "substitute_adjacent_key",
    "substitute_real_misspelling",
    "swap_homophone",
    "swap_real_word_error",
    "transpose_letters",
    "undouble_letter",
]
