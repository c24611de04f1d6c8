"""`spelltune fix`: the line contract, output formats and every kind of bad input."""

import json

import pytest


@pytest.fixture
def fix(run_cli, trained_tiny_model_dir):
    def run(args=(), stdin=b""):
        return run_cli(["fix", "--model", str(trained_tiny_model_dir), *args], stdin)

    return run


def test_one_line_in_one_corrected_line_out(fix):
    result = fix(stdin=b"I beleive this is teh correct answr.\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "I believe this is the correct answer.\n"


def test_every_input_line_gives_exactly_one_output_line_in_order(fix):
    stdin = b"Ther cat sat on teh mat.\n\nwe shud go home now\n   \nThis sentence is fine.\n"
    result = fix(stdin=stdin)
    assert result.stdout.split("\n") == [
        "The cat sat on the mat.",
        "",
        "we should go home now",
        "   ",
        "This sentence is fine.",
        "",
    ]


def test_line_endings_and_a_missing_final_newline_are_kept(fix):
    result = fix(stdin=b"we shud go home now\r\nThis sentence is fine.")
    assert result.stdout_bytes == b"we should go home now\r\nThis sentence is fine."


def test_text_arguments_and_file_input(fix, tmp_path):
    assert fix(["we", "shud", "go", "home", "now"]).stdout == "we should go home now\n"
    text_file = tmp_path / "in.txt"
    text_file.write_text("Ther cat sat on teh mat.\nwe shud go home now\n")
    assert fix(["--file", str(text_file)]).stdout == "The cat sat on the mat.\nwe should go home now\n"


def test_json_gives_spans_and_refusals_per_line(fix):
    result = fix(["--json"], b"I beleive this is teh correct answr.\nMeet Jhon at 5pm today.\n")
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["line"] == 1 and first["output"] == "I believe this is the correct answer."
    edit = first["edits"][0]
    assert {k: edit[k] for k in ("start", "end", "original", "replacement")} == {
        "start": 2, "end": 9, "original": "beleive", "replacement": "believe"}
    assert "confidence" in edit
    assert second["output"] == second["input"] == "Meet Jhon at 5pm today."
    assert {r["reason"] for r in second["rejected"]} == {"changes a name", "changes a number"}
    for refused in second["rejected"]:  # refused proposals point at the words they would have changed
        assert second["input"][refused["start"]:refused["end"]] == refused["original"]


def test_diff_marks_each_change(fix):
    result = fix(["--diff", "--no-color"], b"we shud go home now\n")
    assert result.stdout == "we [-shud-]{+should+} go home now\n"
    colored = fix(["--diff", "--color"], b"we shud go home now\n").stdout
    assert "\x1b[9;31mshud\x1b[0m\x1b[32mshould\x1b[0m" in colored


def test_empty_stdin_is_a_silent_pass_through(fix):
    result = fix(stdin=b"")
    assert (result.exit_code, result.stdout_bytes) == (0, b"")


def test_whitespace_only_lines_pass_through_unchanged(fix):
    result = fix(stdin=b" \t \n\n  \n")
    assert result.stdout_bytes == b" \t \n\n  \n"


def test_non_utf8_line_passes_through_byte_for_byte_with_a_warning(fix):
    stdin = b"we shud go home now\ncaf\xe9 ol\xe9\nThis sentence is fine.\n"
    result = fix(stdin=stdin)
    assert result.exit_code == 0
    assert result.stdout_bytes == b"we should go home now\ncaf\xe9 ol\xe9\nThis sentence is fine.\n"
    assert "line 2 is not valid UTF-8" in result.stderr
    as_json = [json.loads(line) for line in fix(["--json"], stdin).stdout.splitlines()]
    assert as_json[1]["note"] == "not valid UTF-8: passed through unchanged"


def test_very_long_line_is_corrected_piecewise_without_losing_text(fix):
    filler = " ".join(f"item{i}" for i in range(400))
    line = f"Ther cat sat on teh mat. {filler}. we shud go home now"
    result = fix(stdin=line.encode() + b"\n")
    assert result.stdout.count("\n") == 1
    output_words = result.stdout.split()
    assert output_words[:6] == "The cat sat on the mat.".split()
    assert output_words[-5:] == "we should go home now".split()
    assert output_words[6:406] == line.split()[6:406]


def test_unknown_model_is_a_one_line_error_with_exit_2(run_cli):
    result = run_cli(["fix", "--model", "no-such-model", "hello wrold"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown model 'no-such-model'")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_missing_file_is_a_one_line_error_with_exit_2(run_cli, tmp_path):
    result = run_cli(["fix", "--file", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot read {tmp_path / 'nope.txt'}: no such file\n"
    directory = run_cli(["fix", "--file", str(tmp_path)])
    assert directory.exit_code == 2 and "it is a directory" in directory.stderr


def test_conflicting_inputs_and_formats_are_errors(run_cli, tmp_path):
    both = run_cli(["fix", "--file", str(tmp_path / "x.txt"), "some", "text"])
    assert both.exit_code == 2 and "not both" in both.stderr
    formats = run_cli(["fix", "--diff", "--json", "text"])
    assert formats.exit_code == 2 and "one of --diff and --json" in formats.stderr


def test_no_text_and_a_terminal_on_stdin_asks_for_input():
    from spelltune.errors import InputError
    from spelltune.serve.fix import open_input

    class Terminal:
        def isatty(self):
            return True

    with pytest.raises(InputError, match="no text given"):
        open_input([], None, Terminal())


def test_real_process_exit_codes_and_stderr(run_cli_process, trained_tiny_model_dir):
    ok = run_cli_process(["fix", "--model", str(trained_tiny_model_dir)], b"a\nb\nc\n")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.count(b"\n") == 3
    bad = run_cli_process(["fix", "--model", "nobody/nothing-here"], b"hello\n")
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("error: cannot load model 'nobody/nothing-here'")
    assert b"Traceback" not in bad.stderr
