"""Property tests of `spelltune fix` through its real CLI entry: any bytes in, exit 0, exactly one output
line per input line, in order, line endings kept, text outside the reported edits byte-identical.

Correctors: the classic ones, the tiny trained Llama, and a hostile engine that answers every prompt
with whatever hypothesis draws (garbage, nothing, huge, another script, the input with random edits).
Most examples run in this process (`spelltune.cli.main`); a few big inputs run as real subprocesses.
Example counts scale with the hypothesis profile (`--hypothesis-profile=ci|deep`, see tests/conftest.py).
"""

from __future__ import annotations

import io
import json
import random
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spelltune.correct.edits import apply_edits


def examples(share: float) -> int:
    """This test's example count: a share of the active profile's budget."""
    return max(5, int(settings.default.max_examples * share))


# -- input: any bytes a user can pipe in --------------------------------------------------------------

SPECIAL = ["\x00", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b",
           "\u200f", "\u202e", "e\u0301", "👩\u200d👩\u200d👧", "🏳️\u200d🌈", "<|im_end|>", "<think>", "</think>",
           "\\n", "{\"a\": 1}", "שלום", "مرحبا", "你好", "ǅ", "ß", "İ"]
WORDS = ["teh", "the", "cat", "beleive", "recieve", "answr", "Ther", "shud", "go", "home", "now", "I", "we",
         "www.example.org", "5pm", "get_valeu()", "Siobhan", "alot", "mat.", "fine.", "THe"]
_piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SPECIAL),
    st.text(st.characters(blacklist_characters="\n", codec="utf-8"), max_size=8),
)


@st.composite
def line_texts(draw) -> str:
    """One line's text: words, specials and arbitrary characters (never a \\n), as UTF-8 text."""
    parts = draw(st.lists(_piece, max_size=12))
    return "".join(part + draw(st.sampled_from([" ", " ", "", "\t", "  "])) for part in parts)


@st.composite
def input_bytes(draw) -> bytes:
    """A whole input: lines of any text or raw non-UTF-8 bytes, each ending in \\n, \\r\\n or (last) nothing."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 9)) == 0:
            raw = draw(st.binary(max_size=20)).replace(b"\n", b"")  # often invalid UTF-8: lone surrogates inside
        else:
            raw = draw(line_texts()).encode("utf-8")
        lines.append(raw + draw(st.sampled_from([b"\n", b"\r\n", b"\n"])))
    if lines and draw(st.booleans()):
        lines[-1] = lines[-1].rstrip(b"\r\n")  # no final newline
    return b"".join(lines)


# -- running the real CLI entry in this process --------------------------------------------------------

@dataclass
class Run:
    exit_code: int
    stdout: bytes
    stderr: str


@contextmanager
def _swapped_stdio(args: Sequence[str], stdin: bytes):
    saved = sys.argv, sys.stdin, sys.stdout, sys.stderr
    out = io.BytesIO()
    sys.argv = ["spelltune", *args]
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout = wrapper = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = errors = io.StringIO()
    captured: dict[str, object] = {}
    try:
        yield captured
    finally:
        wrapper.flush()
        captured.update(stdout=out.getvalue(), stderr=errors.getvalue())
        sys.argv, sys.stdin, sys.stdout, sys.stderr = saved


def run_fix(args: Sequence[str], stdin: bytes) -> Run:
    """`spelltune fix ARGS` through `spelltune.cli.main`, as the console script runs it."""
    from spelltune.cli import main

    code = 0
    with _swapped_stdio(["fix", *args], stdin) as captured:
        try:
            main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return Run(code, captured["stdout"], captured["stderr"])  # type: ignore[arg-type]


# -- the line contract ----------------------------------------------------------------------------------

def _split_at_newline(data: bytes) -> list[bytes]:
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    return lines + ([parts[-1]] if parts[-1] else [])


def _ending(line: bytes) -> bytes:
    return b"\r\n" if line.endswith(b"\r\n") else b"\n" if line.endswith(b"\n") else b""


def assert_line_contract(stdin: bytes, run: Run, identity: bool = False) -> None:
    """Exit 0; one output line per input line with the same ending; identity gives the input back exactly."""
    assert run.exit_code == 0, run.stderr
    assert "Traceback" not in run.stderr
    inputs, outputs = _split_at_newline(stdin), _split_at_newline(run.stdout)
    assert len(outputs) == len(inputs), (inputs, outputs)
    for given_line, got in zip(inputs, outputs):
        assert _ending(got) == _ending(given_line), (given_line, got)
        try:
            given_line.decode("utf-8")
        except UnicodeDecodeError:
            assert got == given_line  # not UTF-8: passed through byte for byte
    if identity:
        assert run.stdout == stdin


def assert_json_contract(stdin: bytes, run: Run) -> None:
    """--json: one object per input line, numbered in order, its output = its input with its edits applied."""
    assert run.exit_code == 0, run.stderr
    inputs = _split_at_newline(stdin)
    rows = run.stdout.decode("utf-8").split("\n")
    assert rows[-1] == ""
    rows = rows[:-1]
    assert len(rows) == len(inputs)
    for number, (row_text, raw) in enumerate(zip(rows, inputs), start=1):
        assert all(separator not in row_text for separator in "\u2028\u2029\x85"), row_text  # splitlines-safe
        row = json.loads(row_text)
        assert row["line"] == number
        text = raw.rstrip(b"\n").removesuffix(b"\r")
        if number == 1:
            text = text.removeprefix(b"\xef\xbb\xbf")
        try:
            assert row["input"] == text.decode("utf-8")
        except UnicodeDecodeError:
            assert row["output"] == row["input"] and row["note"]
            continue
        edits = [_edit(e) for e in row["edits"]]
        for edit in edits:
            assert row["input"][edit.start : edit.end] == edit.original
        assert row["output"] == apply_edits(row["input"], edits)


def _edit(data: dict):
    from spelltune.correct.corrector import Edit

    return Edit(data["start"], data["end"], data["original"], data["replacement"])


# -- classic correctors ---------------------------------------------------------------------------------

@pytest.mark.parametrize("corrector", ["identity", "symspell", "pyspellchecker", "symspell-compound"])
@settings(max_examples=examples(0.1), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stdin=input_bytes(), as_json=st.booleans())
def test_classic_correctors_keep_the_line_contract_on_any_input(corrector, stdin, as_json):
    run = run_fix(["--model", corrector, *(["--json"] if as_json else [])], stdin)
    if as_json:
        assert_json_contract(stdin, run)
    else:
        assert_line_contract(stdin, run, identity=corrector == "identity")


# -- fix_stream itself, behind a corrector that misbehaves ---------------------------------------------------

class ChaoticCorrector:
    """A corrector that breaks its promises: loses lines, adds lines, answers for other lines, adds breaks."""

    name = "chaotic"

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def correct_lines(self, lines: list[str]) -> list:
        from spelltune.correct.corrector import Correction

        answers = []
        for line in lines:
            mode = self.rng.randrange(7)
            output = {0: line, 1: line.upper(), 2: line + "\n" + line, 3: line + "\r", 4: "", 5: line[::-1],
                      6: line}[mode]
            answers.append(Correction(input=line if mode != 6 else line + "?", output=output))
        if answers and self.rng.random() < 0.3:
            answers.pop(self.rng.randrange(len(answers)))
        if self.rng.random() < 0.2:
            answers.append(Correction(input="extra", output="extra"))
        return answers


@settings(max_examples=examples(1.8))
@given(stdin=input_bytes(), seed=st.integers(0, 2**32), fmt=st.sampled_from(["text", "diff", "json"]))
def test_fix_stream_keeps_every_line_whatever_the_corrector_returns(stdin, seed, fmt):
    from spelltune.serve.fix import fix_stream, read_input_lines

    written: list[str] = []
    summary = fix_stream(read_input_lines(io.BytesIO(stdin)), written.append, lambda: ChaoticCorrector(seed), fmt=fmt)
    output = "".join(written).encode("utf-8", "surrogateescape")
    assert summary.lines == len(_split_at_newline(stdin))
    if fmt == "json":
        assert_json_contract(stdin, Run(0, output, ""))
    else:
        assert_line_contract(stdin, Run(0, output, ""))


# -- a hostile model: the LM corrector's whole pipeline behind any model output --------------------------

class _Plan:
    """What the hostile engine answers in the current example."""

    rng = random.Random(0)
    garbage: list[str] = [""]


def _hostile_answer(text: str) -> str:
    rng = _Plan.rng
    mode = rng.randrange(8)
    if mode == 0:
        return text
    if mode in (1, 2):
        words = text.split()
        for _ in range(rng.randrange(1, 4)):
            if not words:
                break
            i = rng.randrange(len(words))
            action = rng.randrange(5)
            if action == 0:
                del words[i]
            elif action == 1:
                words.insert(i, words[i])
            elif action == 2 and len(words[i]) > 1:
                j = rng.randrange(len(words[i]) - 1)
                w = words[i]
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            elif action == 3:
                words[i] = rng.choice(_Plan.garbage) or "x"
            else:
                words[i] = words[i].upper()
        return " ".join(words)
    if mode == 3:
        return rng.choice(_Plan.garbage)
    if mode == 4:
        return text * rng.randrange(2, 30)
    if mode == 5:
        return text + "\n" + rng.choice(_Plan.garbage)
    if mode == 6:
        return "<think>" + rng.choice(_Plan.garbage) + "</think>" + text
    return ""


class HostileEngine:
    """An Engine that answers every prompt with whatever the current example planned."""

    def __new__(cls, tokenizer):
        from spelltune.engine.base import Engine

        class _Hostile(Engine):
            backend = "hostile"

            def generate(self, prompts, max_new_tokens, *, batch_size=16, on_progress=None):
                answers = []
                for prompt in prompts:
                    _, _, rest = prompt.rpartition("<|im_start|>user\n")
                    text, _, _ = rest.rpartition("<|im_end|>\n<|im_start|>assistant\n")
                    answers.append(_hostile_answer(text))
                return answers

            def score_many(self, requests):
                return [[-_Plan.rng.random() * 20 for _ in continuations] for _, continuations in requests]

        return _Hostile("hostile", "hostile", tokenizer)


@pytest.fixture(scope="module")
def hostile_model(smollm2_tokenizer_dir):
    """`--model hostile --engine hostile` answers with the plan of the running example."""
    from transformers import AutoTokenizer

    from spelltune.engine.registry import BACKENDS, Backend, register_backend

    tokenizer = AutoTokenizer.from_pretrained(smollm2_tokenizer_dir)
    register_backend(Backend("hostile", "test double", "nothing", "json", lambda *args: HostileEngine(tokenizer)))
    yield ["--model", "hostile", "--engine", "hostile"]
    BACKENDS.pop("hostile", None)


_garbage = st.one_of(st.text(max_size=40), st.sampled_from(SPECIAL + WORDS + ["", " ", "\n\n"]),
                     st.text(st.characters(codec="utf-8"), min_size=500, max_size=2000))


@settings(max_examples=examples(0.3), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stdin=input_bytes(), seed=st.integers(0, 2**32), garbage=st.lists(_garbage, min_size=1, max_size=6),
       as_json=st.booleans())
def test_any_model_output_keeps_the_line_contract_and_the_text_outside_edits(hostile_model, stdin, seed, garbage,
                                                                            as_json):
    _Plan.rng, _Plan.garbage = random.Random(seed), garbage
    run = run_fix([*hostile_model, *(["--json"] if as_json else [])], stdin)
    if as_json:
        assert_json_contract(stdin, run)
    else:
        assert_line_contract(stdin, run)


# -- the tiny trained Llama, end to end ---------------------------------------------------------------------

@settings(max_examples=examples(0.03), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stdin=input_bytes(), as_json=st.booleans())
def test_tiny_model_keeps_the_line_contract_on_any_input(trained_tiny_model_dir, stdin, as_json):
    run = run_fix(["--model", str(trained_tiny_model_dir), *(["--json"] if as_json else [])], stdin)
    if as_json:
        assert_json_contract(stdin, run)
    else:
        assert_line_contract(stdin, run)


# -- big inputs through the real process ---------------------------------------------------------------------

def _big_mixed_input(lines: int, vocabulary: list[str], long_line: str) -> bytes:
    rng = random.Random(7)
    rows = []
    for _ in range(lines):
        words = [rng.choice(vocabulary) for _ in range(rng.randrange(0, 4))]
        rows.append(" ".join(words).encode("utf-8", "surrogateescape") + rng.choice([b"\n", b"\r\n"]))
    middle = lines // 2
    return (b"".join(rows[:middle]) + long_line.encode()[:100_000] + b"\n" + b"".join(rows[middle:])
            + b"no final newline \x0c\xff")


_NOT_UTF8 = "caf\xe9".encode("latin-1").decode("utf-8", "surrogateescape")


@pytest.mark.parametrize("corrector", ["identity", "symspell"])
def test_ten_thousand_short_lines_and_a_100kb_line_through_the_real_process(corrector, run_cli_process):
    rng = random.Random(3)
    stdin = _big_mixed_input(10_000, WORDS + SPECIAL + [_NOT_UTF8], " ".join(rng.choice(WORDS) for _ in range(16_000)))
    result = run_cli_process(["fix", "--model", corrector], stdin)
    run = Run(result.returncode, result.stdout, result.stderr.decode("utf-8", "replace"))
    assert_line_contract(stdin, run, identity=corrector == "identity")
    assert len(_split_at_newline(result.stdout)) == 10_002


def test_the_tiny_model_through_the_real_process(run_cli_process, trained_tiny_model_dir):
    # Few distinct pieces (the corrector generates each distinct piece once), every kind of character.
    vocabulary = ["we shud go home now", "Ther cat sat on teh mat.", "\x00\x0c\u202e", "👩\u200d👩\u200d👧", _NOT_UTF8]
    stdin = _big_mixed_input(400, vocabulary, "I beleive this is teh correct answr. " * 3000)
    result = run_cli_process(["fix", "--model", str(trained_tiny_model_dir)], stdin)
    run = Run(result.returncode, result.stdout, result.stderr.decode("utf-8", "replace"))
    assert_line_contract(stdin, run)
    assert b"I believe this is the correct answer. " * 100 in result.stdout
