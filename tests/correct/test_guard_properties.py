"""Property tests of the guard as a pure function: whatever the model says, every change it proposed is
either a reported edit or a reported refusal, protected tokens stay byte for byte, and no word is lost.

Example counts scale with the hypothesis profile (`--hypothesis-profile=ci|deep`, see tests/conftest.py).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from spelltune.correct.corrector import Edit
from spelltune.correct.edits import apply_edits, tokenize
from spelltune.correct.guard import GuardConfig, guard_correction


def examples(share: float) -> int:
    """This test's example count: a share of the active profile's budget."""
    return max(10, int(settings.default.max_examples * share))


WORDS = ["the", "teh", "cat", "sat", "on", "mat", "beleive", "recieve", "alot", "a", "lot", "their", "there",
         "they're", "dont", "don't", "i", "I", "we", "shud", "go", "home", "now", "form", "from", "realise",
         "THe", "tHis", "Becuase", "definately", "and", "to", "too", "it", "is", "was", "in", "front", "infront"]
NAMES = ["Siobhan", "London", "Oluwaseun", "Zoë", "Jhon", "Ngozi", "Paris"]
URLS = ["https://example.org/a?b=1", "www.spelltune.dev", "http://x.co/teh", "docs.python.org/3/"]
EMAILS = ["ann@mail.com", "bob.smith+x@exmple.org", "teh@cat.io"]
NUMBERS = ["5", "5pm", "10:30", "3.5%", "1,000", "2nd", "007", "42"]
CODE = ["get_valeu()", "myVariable", "config.yaml", "/usr/bin/env", "x->y", "a==b", "`ls`", "$HOME"]
PROTECTED = NAMES + URLS + EMAILS + NUMBERS + CODE
PUNCTUATION = [".", ",", "!", "?", ";", ":", "\"", "'", "(", ")", "…", "—"]
SCRIPTS = ["привет мир", "مرحبا بالعالم", "שלום עולם", "你好世界", "नमस्ते दुनिया", "e\u0301te\u0301", "👩\u200d💻🏳️\u200d🌈"]

_word = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(PROTECTED),
    st.sampled_from(SCRIPTS),
    st.builds(lambda w, p: w + p, st.sampled_from(WORDS + NAMES), st.sampled_from(PUNCTUATION)),
    st.text(st.characters(exclude_categories=("Zs", "Zl", "Zp", "Cc")), min_size=1, max_size=12),
    st.text(min_size=1, max_size=6),  # anything: control characters, lone surrogates, ...
)
_space = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", "\x0c", "\r", "\u2009"])


@st.composite
def sources(draw) -> str:
    """An input line: words, names, URLs, numbers, code and stray Unicode, joined by varied spaces."""
    words = draw(st.lists(_word, min_size=0, max_size=14))
    text = ""
    for index, word in enumerate(words):
        text += (draw(_space) if index else "") + word
    return draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " ", "."]))


@st.composite
def edited(draw, source: str) -> str:
    """`source` with a few random word-level edits: the kind of output a model does produce."""
    words = source.split()
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["delete", "duplicate", "replace", "typo", "case", "insert", "merge",
                                          "split", "digits", "swap"]))
        if not words and operation != "insert":
            continue
        index = draw(st.integers(0, max(0, len(words) - 1)))
        if operation == "delete":
            del words[index]
        elif operation == "duplicate":
            words.insert(index, words[index])
        elif operation == "replace":
            words[index] = draw(_word)
        elif operation == "typo" and len(words[index]) > 1:
            word = words[index]
            at = draw(st.integers(0, len(word) - 2))
            words[index] = word[:at] + word[at + 1] + word[at] + word[at + 2:]
        elif operation == "case":
            words[index] = draw(st.sampled_from([str.lower, str.upper, str.title, str.swapcase]))(words[index])
        elif operation == "insert":
            words.insert(index, draw(_word))
        elif operation == "merge" and index + 1 < len(words):
            words[index : index + 2] = [words[index] + words[index + 1]]
        elif operation == "split" and len(words[index]) > 1:
            at = draw(st.integers(1, len(words[index]) - 1))
            words[index : index + 1] = [words[index][:at], words[index][at:]]
        elif operation == "digits":
            words[index] = "".join(str((int(c) + 1) % 10) if c in "0123456789" else c for c in words[index])
        elif operation == "swap" and index + 1 < len(words):
            words[index], words[index + 1] = words[index + 1], words[index]
    return " ".join(words)


def model_outputs(source: str):
    """Any model output for `source`: near-copies, garbage, nothing, huge, another script."""
    return st.one_of(
        edited(source),
        edited(source),
        st.just(source),
        st.text(max_size=80),
        st.sampled_from(["", " ", "\n", "<think>hmm</think>", source + "\n" + source]),
        st.just(source * 40),
        st.text(min_size=2000, max_size=4000, alphabet=st.characters(codec="utf-8")),
        st.sampled_from(SCRIPTS),
        st.builds(lambda prefix: prefix + source, st.sampled_from(["Sure! Here is the corrected text: ", "Corrected: "])),
    )


def protected_spans(source: str) -> list[tuple[int, int, str]]:
    """Where the protected tokens the test planted sit in `source`: (start, end, core text)."""
    spans = []
    for token in tokenize(source):
        for core in PROTECTED:
            at = token.text.find(core)
            if core in NAMES and (at != 0 or not _mid_sentence(source, token.start)):
                continue  # a capitalised word opening a sentence is not known to be a name
            if at >= 0 and _is_whole(token.text, at, core):
                spans.append((token.start + at, token.start + at + len(core), core))
    return spans


def _mid_sentence(source: str, position: int) -> bool:
    before = source[:position].split()
    return bool(before) and before[-1].isalpha() and before[-1].islower()


def _is_whole(token: str, at: int, core: str) -> bool:
    rest = token[:at] + token[at + len(core):]
    return all(char in "\"'“”‘’([{<.,;:!?)]}>…" for char in rest)


def assert_guard_invariants(source: str, proposed: str, config: GuardConfig | None = None) -> None:
    """Everything the guard promises about one (input, model output) pair."""
    correction = guard_correction(source, proposed, config)
    assert correction.input == source
    edits = correction.edits
    previous_end = 0
    for edit in edits:  # in order, inside the input, not overlapping, and pointing at what they replace
        assert previous_end <= edit.start <= edit.end <= len(source), edits
        assert source[edit.start : edit.end] == edit.original
        assert "\n" not in edit.replacement and "\r" not in edit.replacement
        previous_end = edit.end
    for rejection in correction.rejected:
        if rejection.start is not None:
            assert source[rejection.start : rejection.end] == rejection.original
    # Nothing the model proposed is lost unreported: the accepted edits plus the refused ones give back
    # its proposal, word for word (unless the guard lowercased the proposal to match lowercase input).
    config = config or GuardConfig()
    if not (config.keep_lowercase_style and not any(char.isupper() for char in source)):
        refused = [Edit(r.start, r.end, r.original, r.proposed) for r in correction.rejected]
        assert apply_edits(source, edits + refused).split() == proposed.split(), (edits, correction.rejected)
    # Protected tokens are byte-identical: no accepted edit reaches into one unless it keeps it whole.
    for start, end, core in protected_spans(source):
        for edit in edits:
            if edit.start < end and start < edit.end or (edit.start == edit.end and start < edit.start < end):
                kept = [word.strip("\"'“”‘’([{<.,;:!?)]}>…") for word in edit.replacement.split()]
                assert core in kept, (core, edit)
    # No word is dropped: only a repeated word may go, and words are merged only with their letters kept.
    for edit in edits:
        original_words, replacement_words = edit.original.split(), edit.replacement.split()
        if not replacement_words:
            neighbours = {w.lower() for w in source[edit.end :].split()[:1] + source[: edit.start].split()[-1:]}
            assert all(word.lower() in neighbours for word in original_words), edit
        elif len(replacement_words) < len(original_words):
            assert Indel.normalized_similarity("".join(original_words).casefold(),
                                               "".join(replacement_words).casefold()) >= 0.85, edit


@st.composite
def source_and_output(draw) -> tuple[str, str]:
    source = draw(sources())
    return source, draw(model_outputs(source))


@settings(max_examples=examples(3.2))
@given(source_and_output())
def test_any_model_output_changes_the_input_only_inside_reported_safe_edits(pair):
    assert_guard_invariants(*pair)


@settings(max_examples=examples(2.5))
@given(st.text(max_size=60), st.text(max_size=60))
def test_any_text_pair_keeps_the_invariants(source, proposed):
    assert_guard_invariants(source, proposed)


@settings(max_examples=examples(1.5))
@given(source_and_output(), st.floats(0, 1), st.floats(0, 1), st.integers(0, 6), st.floats(0, 1))
def test_invariants_hold_for_any_thresholds(pair, piece_similarity, edit_similarity, word_delta, delta_rate):
    config = GuardConfig(min_piece_similarity=piece_similarity, min_edit_similarity=edit_similarity,
                         min_word_delta=word_delta, word_delta_rate=delta_rate, min_split_merge_similarity=0.85,
                         min_resplit_similarity=max(0.85, edit_similarity))
    assert_guard_invariants(*pair, config)
