"""One test per corruption function, each asserting a property that a wrong implementation breaks."""

from __future__ import annotations

import random

import pytest

from spelltune.data.corruption import (
    add_case_noise,
    delete_letter,
    double_letter,
    drop_apostrophe,
    insert_neighbour_key,
    merge_words,
    reverse_dyslexic_letters,
    split_word,
    substitute_adjacent_key,
    substitute_real_misspelling,
    swap_homophone,
    swap_real_word_error,
    transpose_letters,
    undouble_letter,
)
from spelltune.data.corruption.dyslexic import MIRROR_LETTERS
from spelltune.data.corruption.sentence import ERROR_TYPES, corrupt_sentence
from spelltune.data.lexicon.homophones import (
    AMBIGUOUS_CONTRACTIONS,
    CONTRACTIONS,
    HOMOPHONE_SETS,
)
from spelltune.data.lexicon.keyboard import QWERTY_NEIGHBOURS

WORDS = ["sentence", "because", "Holiday", "keyboard", "running", "window", "quiet"]


def _diff_positions(a: str, b: str) -> list[int]:
    return [i for i, (x, y) in enumerate(zip(a, b)) if x != y]


@pytest.mark.parametrize("seed", range(20))
def test_substitute_adjacent_key_changes_one_letter_to_a_neighbour(seed: int) -> None:
    rng = random.Random(seed)
    for word in WORDS:
        new = substitute_adjacent_key(word, rng)
        assert new is not None and len(new) == len(word)
        (i,) = _diff_positions(word, new)
        assert new[i].lower() in QWERTY_NEIGHBOURS[word[i].lower()]
        assert new[i].isupper() == word[i].isupper()


def test_qwerty_neighbours_are_symmetric_and_local() -> None:
    assert set(QWERTY_NEIGHBOURS["a"]) == set("qswz")
    for key, near in QWERTY_NEIGHBOURS.items():
        assert all(key in QWERTY_NEIGHBOURS[other] for other in near)


@pytest.mark.parametrize("seed", range(20))
def test_insert_neighbour_key_adds_one_neighbouring_letter(seed: int) -> None:
    rng = random.Random(seed)
    for word in WORDS:
        new = insert_neighbour_key(word, rng)
        assert new is not None and len(new) == len(word) + 1
        lower_word, lower_new = word.lower(), new.lower()
        assert any(
            lower_new[:i] + lower_new[i + 1 :] == lower_word
            and any(lower_new[i] in QWERTY_NEIGHBOURS[n] for n in lower_word[max(i - 1, 0) : i + 1])
            for i in range(len(new))
        )


@pytest.mark.parametrize("seed", range(20))
def test_delete_letter_removes_exactly_one_letter_not_the_first(seed: int) -> None:
    rng = random.Random(seed)
    for word in WORDS:
        new = delete_letter(word, rng)
        assert new is not None and len(new) == len(word) - 1 and new[0] == word[0]
        assert any(word[:i] + word[i + 1 :] == new for i in range(len(word)))
    assert delete_letter("cat", rng) is None


@pytest.mark.parametrize("seed", range(20))
def test_double_letter_repeats_one_letter(seed: int) -> None:
    rng = random.Random(seed)
    for word in WORDS:
        new = double_letter(word, rng)
        assert new is not None and len(new) == len(word) + 1
        assert any(word[: i + 1] + word[i] + word[i + 1 :] == new for i in range(len(word)))


@pytest.mark.parametrize("seed", range(10))
def test_undouble_letter_types_one_doubled_letter_once(seed: int) -> None:
    rng = random.Random(seed)
    for word in ("committee", "letter", "Llama", "bookkeeper"):
        new = undouble_letter(word, rng)
        assert new is not None and len(new) == len(word) - 1
        assert any(word[:i] + word[i + 1 :] == new and word[i].lower() == word[i + 1].lower()
                   for i in range(len(word) - 1))
    assert undouble_letter("cat", rng) is None and undouble_letter("co-op", rng) is None


@pytest.mark.parametrize("seed", range(20))
def test_transpose_letters_swaps_two_adjacent_letters_and_nothing_else(seed: int) -> None:
    rng = random.Random(seed)
    for word in WORDS:
        new = transpose_letters(word, rng)
        assert new is not None and sorted(new) == sorted(word) and new != word
        i, j = _diff_positions(word, new)
        assert j == i + 1 and new[i] == word[j] and new[j] == word[i]


def test_split_word_inserts_one_inner_space() -> None:
    rng = random.Random(0)
    for _ in range(20):
        new = split_word("sentence", rng)
        left, right = new.split(" ")
        assert left + right == "sentence" and len(left) >= 2 and len(right) >= 2
    assert split_word("cat", rng) is None


def test_merge_words_joins_known_and_plain_pairs_but_not_names() -> None:
    rng = random.Random(0)
    assert merge_words("in", "front", rng) == "infront"
    assert merge_words("a", "lot", rng) == "alot"
    assert merge_words("A", "lot", rng) == "Alot"
    assert merge_words("to", "the", rng) == "tothe"
    assert merge_words("visit", "Paris", rng) is None


def test_swap_homophone_stays_in_the_set_and_keeps_case() -> None:
    rng = random.Random(0)
    for _ in range(20):
        assert swap_homophone("their", rng) in {"there", "they're"}
        assert swap_homophone("Your", rng) == "You're"
        assert swap_homophone("then", rng) == "than"
        assert swap_homophone("eight", rng) == "ate"
    assert swap_homophone("sentence", rng) is None


def test_swap_real_word_error_writes_a_listed_slip_or_mined_error_in_the_words_case() -> None:
    from spelltune.correct.confusion import confusion_partners, real_word_errors_for

    rng = random.Random(0)
    assert "form" in real_word_errors_for("from") and "from" in real_word_errors_for("form")  # slips go both ways
    for _ in range(20):
        swapped = swap_real_word_error("From", rng)
        assert swapped is not None and swapped[0].isupper() and swapped.lower() in real_word_errors_for("from")
        # The corrector's confusion sets lead every error back to the word it was made from.
        assert "from" in confusion_partners(swapped)
    assert swap_real_word_error("sentence", rng) is None
    assert swap_real_word_error("don't", rng) is None


def test_drop_apostrophe_removes_only_the_apostrophe() -> None:
    rng = random.Random(0)
    assert drop_apostrophe("don't", rng) == "dont"
    assert drop_apostrophe("I'm", rng) == "Im"
    assert drop_apostrophe("shouldn't", rng) == "shouldnt"
    assert drop_apostrophe("they\u2019re", rng) == "theyre"
    assert drop_apostrophe("word", rng) is None


def test_reverse_dyslexic_letters_flips_mirror_letters_or_reverses_three() -> None:
    rng = random.Random(0)
    assert reverse_dyslexic_letters("bed", random.Random(1)) in {"ded", "beb", "deb", "dbe", "bde", "deb"}
    for _ in range(50):
        for word in ("bad", "pump", "under", "was", "form", "window"):
            new = reverse_dyslexic_letters(word, rng)
            assert new is not None and len(new) == len(word) and new != word
            diff = _diff_positions(word, new)
            mirrored = len(diff) == 1 and MIRROR_LETTERS.get(word[diff[0]]) == new[diff[0]]
            reversed_run = any(
                new == word[:i] + word[i : i + 3][::-1] + word[i + 3 :] for i in range(len(word) - 2)
            )
            assert mirrored or reversed_run
    assert reverse_dyslexic_letters("it", rng) is None


def test_substitute_real_misspelling_keeps_the_words_case() -> None:
    rng = random.Random(0)
    table = {"because": ["becuase", "becouse"]}
    assert substitute_real_misspelling("because", table, rng) in {"becuase", "becouse"}
    assert substitute_real_misspelling("Because", table, rng) in {"Becuase", "Becouse"}
    assert substitute_real_misspelling("BECAUSE", table, rng) in {"BECUASE", "BECOUSE"}
    assert substitute_real_misspelling("since", table, rng) is None


def test_add_case_noise_changes_only_case() -> None:
    rng = random.Random(0)
    assert add_case_noise("I", rng) == "i"
    assert add_case_noise("Paris", rng) == "paris"
    for _ in range(30):
        new = add_case_noise("the", rng)
        assert new is not None and new.lower() == "the" and new != "the"
    assert add_case_noise("NASA", rng) is None


def test_corrupt_sentence_protects_names_and_held_out_words() -> None:
    text = "Yesterday Maria said the weather was lovely because the garden looked beautiful."
    for seed in range(30):
        result = corrupt_sentence(text, "typo", 4, random.Random(seed), protected_words=frozenset({"weather"}))
        assert result is not None and result.text != text
        assert "Maria" in result.text and "weather" in result.text
        assert set(result.error_types) <= set(ERROR_TYPES)
        assert 1 <= result.error_count <= 4


def test_corrupt_sentence_is_deterministic_for_a_seed() -> None:
    text = "They're sure that your dog ate their lunch, and then it went to sleep."
    runs = [corrupt_sentence(text, "homophone", 3, random.Random(7)) for _ in range(2)]
    assert runs[0] is not None and runs[0].text == runs[1].text
    assert "homophone" in runs[0].error_types


def test_lexicon_shapes() -> None:
    assert all(isinstance(group, frozenset) and len(group) >= 2 for group in HOMOPHONE_SETS)
    assert all("'" not in k and "'" in v for k, v in CONTRACTIONS.items())
    assert not set(CONTRACTIONS) & set(AMBIGUOUS_CONTRACTIONS)
