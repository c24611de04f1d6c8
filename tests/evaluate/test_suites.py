"""Suite loaders on the shipped suite, real benchmark files, and malformed input."""

import json
from collections import Counter

import pytest

from spelltune.errors import DataFormatError, InputError
from spelltune.evaluate.suites import balanced_hash_split, load_suite

CATEGORIES = {
    "pass_through",
    "known_corrections",
    "edge_cases",
    "dyslexic_reversals",
    "word_preservation",
    "multiple_errors",
    "lowercase_learner",
    "real_word",
    "contractions",
    "must_not_change",
    "meaning_traps",
}
# Issue 14's categories and the least number of cases each must hold.
NEW_CATEGORY_MINIMUMS = {"real_word": 80, "contractions": 40, "must_not_change": 80, "meaning_traps": 40}


def test_own_suite_has_every_category_and_two_balanced_halves():
    suite = load_suite("own")
    assert len(suite.cases) >= 200
    assert set(suite.categories()) == CATEGORIES
    assert len({case.id for case in suite.cases}) == len(suite.cases)
    assert len({case.input for case in suite.cases}) == len(suite.cases)
    splits = Counter((case.category, case.split) for case in suite.cases)
    for category in CATEGORIES:
        assert abs(splits[(category, "dev")] - splits[(category, "test")]) <= 3
    dev, test = load_suite("own-dev"), load_suite("own-test")
    assert len(dev.cases) + len(test.cases) == len(suite.cases)


def test_own_suite_case_rules():
    suite = load_suite("own")
    for case in suite.cases:
        assert case.subcategory and case.split in {"dev", "test"}
        if case.category == "pass_through":
            assert case.input == case.expected, case.id
        if case.category in {"known_corrections", "dyslexic_reversals", "multiple_errors"}:
            assert case.input != case.expected, case.id
        if case.category == "lowercase_learner":
            assert case.input == case.input.lower() and case.expected == case.expected.lower(), case.id
    subcategories = {case.subcategory for case in suite.cases if case.category == "pass_through"}
    assert {"names", "urls", "emails", "numbers", "times", "code", "british_spelling"} <= subcategories


def test_bea322_folder(bea322_dir):
    suite = load_suite(str(bea322_dir))
    assert suite.name == "neuspell-bea322" and len(suite.cases) == 322
    first = suite.cases[0]
    assert first.input.startswith("i tought you") and first.expected.startswith("i thought you")
    assert load_suite(str(bea322_dir / "corrupt.txt"), limit=5).cases == suite.cases[:5]


def test_jsonl_with_expected_and_dataset_split_with_output(tmp_path):
    (tmp_path / "bench.jsonl").write_text(
        json.dumps({"input": "teh cat", "expected": "the cat", "category": "typo"}) + "\n\n"
        + json.dumps({"input": "a dog", "expected": "a dog"}) + "\n",
        encoding="utf-8",
    )
    suite = load_suite(str(tmp_path / "bench.jsonl"))
    assert [(c.input, c.expected, c.category) for c in suite.cases] == [
        ("teh cat", "the cat", "typo"),
        ("a dog", "a dog", "bench"),
    ]
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    row = {"input": "recieve", "output": "receive", "category": "human", "source": "mitton", "error_types": ["transposition"]}
    (dataset / "test.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    case = load_suite(str(dataset)).cases[0]
    assert (case.expected, case.category, case.error_types) == ("receive", "human", ("transposition",))


def test_malformed_jsonl_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"input": "a", "expected": "a"}\n{"input": "b"\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad\.jsonl:2"):
        load_suite(str(path))
    path.write_text('{"input": "a", "expected": "a"}\n{"input": "b"}\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"bad\.jsonl:2: .*'expected'"):
        load_suite(str(path))


def test_text_pairs_with_different_line_counts(tmp_path):
    (tmp_path / "corrupt.txt").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "correct.txt").write_text("a\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="2 lines"):
        load_suite(str(tmp_path))


def test_unknown_suite_and_bad_limit(tmp_path):
    with pytest.raises(InputError, match="no suite named"):
        load_suite("no-such-suite")
    with pytest.raises(InputError, match="folder without"):
        load_suite(str(tmp_path))
    with pytest.raises(InputError, match="at least 1"):
        load_suite("own", limit=0)
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="no cases"):
        load_suite(str(tmp_path / "empty.jsonl"))


def test_new_categories_hold_their_counts_and_a_hash_split():
    suite = load_suite("own")
    for category, minimum in NEW_CATEGORY_MINIMUMS.items():
        cases = [case for case in suite.cases if case.category == category]
        assert len(cases) >= minimum, category
        expected_split = balanced_hash_split([case.id for case in cases])
        assert {case.id: case.split for case in cases} == expected_split, category
        halves = Counter(case.split for case in cases)
        assert abs(halves["dev"] - halves["test"]) <= 1


def test_new_categories_case_rules():
    from spelltune.correct.dictionary import english_words

    words = english_words()
    for case in load_suite("own").cases:
        if case.category == "must_not_change":
            assert case.input == case.expected, case.id
        if case.category in {"real_word", "contractions", "meaning_traps"}:
            changed = [(a, b) for a, b in zip(case.input.split(), case.expected.split()) if a != b]
            assert len(case.input.split()) == len(case.expected.split()) and changed, case.id
        if case.category == "real_word":
            # The error is itself a dictionary word: no word-list checker can flag it.
            assert all(a.strip(".,?!").lower() in words for a, _ in changed), case.id
        if case.category == "meaning_traps":
            assert any(a.strip(".,?!").lower() not in words for a, _ in changed), case.id


def test_balanced_hash_split_is_deterministic_and_even():
    ids = [f"case-{n}" for n in range(101)]
    split = balanced_hash_split(ids)
    assert split == balanced_hash_split(list(reversed(ids)))
    assert abs(Counter(split.values())["dev"] - Counter(split.values())["test"]) == 1


def test_split_suffix_halves_text_pairs_and_keeps_marked_splits(tmp_path):
    (tmp_path / "corrupt.txt").write_text("".join(f"teh {n}\n" for n in range(10)))
    (tmp_path / "correct.txt").write_text("".join(f"the {n}\n" for n in range(10)))
    dev, test = load_suite(f"{tmp_path}:dev"), load_suite(f"{tmp_path}:test")
    assert len(dev.cases) == len(test.cases) == 5 and test.name.endswith(":test")
    assert not {c.id for c in dev.cases} & {c.id for c in test.cases}
    assert [c.id for c in load_suite("own:test").cases] == [c.id for c in load_suite("own-test").cases]


def test_split_suffix_with_no_cases_is_an_input_error(tmp_path):
    (tmp_path / "one.jsonl").write_text(json.dumps({"input": "a", "expected": "a", "split": "dev"}) + "\n")
    with pytest.raises(InputError, match="no test cases"):
        load_suite(f"{tmp_path / 'one.jsonl'}:test")
