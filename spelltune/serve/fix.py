"""`spelltune fix`: correct text line by line, one output line per input line, in order.

Other tools rely on the line contract: every input line gives exactly one output line, empty lines
stay empty, and a line that can't be corrected (not UTF-8, nothing to fix) comes back byte for byte.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from spelltune.correct.corrector import Correction, Corrector
from spelltune.correct.edits import apply_edits
from spelltune.correct.load import load_corrector
from spelltune.errors import InputError
from spelltune.models.presets import default_model_spec
from spelltune.serve.diff import render_diff

if TYPE_CHECKING:
    from spelltune.correct.config import CorrectorConfig

OutputFormat = Literal["text", "diff", "json"]

# Lines corrected per round: bounds memory on big files and lets output stream out.
CHUNK_LINES = 256
_NOT_UTF8_NOTE = "not valid UTF-8: passed through unchanged"
_UNUSABLE_NOTE = "the corrector returned no usable correction: passed through unchanged"


@dataclass
class InputLine:
    """One input line: its text (undecodable bytes kept as surrogates) and its original line ending."""

    text: str
    ending: str
    # A byte-order mark before the first line: not part of the text, but written back as it came.
    prefix: str = ""

    @property
    def is_valid_utf8(self) -> bool:
        """False when the line held bytes that are not UTF-8 (kept as lone surrogates)."""
        return not any("\udc80" <= char <= "\udcff" for char in self.text)


@dataclass
class FixSummary:
    """What a fix run did, for the closing line on stderr."""

    lines: int = 0
    edits: int = 0
    refused: int = 0
    not_utf8_lines: list[int] = field(default_factory=list)  # the first few line numbers only (memory stays flat)
    not_utf8_count: int = 0


def split_lines(text: str) -> list[InputLine]:
    """Lines of `text` with their endings (\\n, \\r\\n or none on the last line).

    Only \\n ends a line, as for `wc -l` and the tools downstream: other Unicode separators stay
    inside the line, so the output has exactly as many lines as the input.
    """
    parts = text.split("\n")
    lines = []
    for part in parts[:-1]:
        if part.endswith("\r"):
            lines.append(InputLine(part[:-1], "\r\n"))
        else:
            lines.append(InputLine(part, "\n"))
    if parts[-1]:
        lines.append(InputLine(parts[-1], ""))
    return lines


def read_input_lines(stream: BinaryIO) -> Iterator[InputLine]:
    """Lines of a byte stream, decoded as UTF-8 with undecodable bytes preserved for pass-through."""
    first = True
    for raw in stream:
        text = raw.decode("utf-8", errors="surrogateescape")
        prefix = ""
        if first and text.startswith("\ufeff"):
            prefix, text = "\ufeff", text[1:]  # a byte-order mark is not part of the text
        first = False
        for line in split_lines(text) or [InputLine("", "")]:
            line.prefix = prefix
            yield line


def lines_for_the_corrector(lines: list[InputLine]) -> list[int]:
    """Indices of the lines a corrector is asked about; the others (blank, or not UTF-8) pass through without it."""
    return [index for index, line in enumerate(lines) if line.is_valid_utf8 and line.text.strip()]


def corrections_from_answers(lines: list[InputLine], asked: list[int], answers: Iterable[Correction]) -> list[Correction]:
    """One Correction per line, from a corrector's `answers` for the lines `asked` (in that order).

    A blank line comes back as it is and a line that is not UTF-8 with a note. Whatever the corrector
    returned, every line comes back: one whose answer is missing or breaks it (see `keeps_the_line`)
    passes through unchanged.
    """
    answered = {index: correction for index, correction in zip(asked, answers)
                if keeps_the_line(correction, lines[index].text)}
    corrections: list[Correction] = []
    for index, line in enumerate(lines):
        if index in answered:
            corrections.append(answered[index])
        elif not line.is_valid_utf8:
            shown = line.text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            corrections.append(Correction(input=shown, output=shown, note=_NOT_UTF8_NOTE))
        elif not line.text.strip():
            corrections.append(Correction(input=line.text, output=line.text))
        else:
            corrections.append(Correction(input=line.text, output=line.text, note=_UNUSABLE_NOTE))
    return corrections


def correct_input_lines(
    lines: list[InputLine],
    get_corrector: Callable[[], Corrector],
    on_progress: Callable[[int], None] | None = None,
) -> list[Correction]:
    """Corrections for `lines`; lines that are blank or not UTF-8 pass through without the model."""
    asked = lines_for_the_corrector(lines)
    answers: list[Correction] = []
    if asked:
        corrector = get_corrector()
        texts = [lines[index].text for index in asked]
        kwargs = {"on_progress": on_progress} if on_progress and getattr(corrector, "reports_progress", False) else {}
        answers = corrector.correct_lines(texts, **kwargs)
    return corrections_from_answers(lines, asked, answers)


def keeps_the_line(correction: Correction, text: str) -> bool:
    """Whether a corrector's answer is for this line, still one line, and exactly the line with its edits applied."""
    if not (isinstance(correction, Correction) and correction.input == text and isinstance(correction.output, str)):
        return False
    if correction.output.count("\n") != text.count("\n") or correction.output.endswith("\r") != text.endswith("\r"):
        return False  # a line break added, or "...\r" + "\n" that would read as CRLF
    cursor = 0
    for edit in sorted(correction.edits, key=lambda e: (e.start, e.end)):
        if not (cursor <= edit.start <= edit.end <= len(text)) or text[edit.start : edit.end] != edit.original:
            return False
        cursor = edit.end
    return apply_edits(text, correction.edits) == correction.output


def format_correction(correction: Correction, line: InputLine, fmt: OutputFormat, color: bool, number: int) -> str:
    """The output line for one correction, in the requested format, with the input's line ending."""
    if fmt == "json":
        return json_line({"line": number, **correction.to_json_dict()})
    if correction.note == _NOT_UTF8_NOTE:
        return line.prefix + line.text + line.ending
    if fmt == "diff":
        return line.prefix + render_diff(correction, color=color) + line.ending
    return line.prefix + correction.output + line.ending


# Characters JSON leaves unescaped that `str.splitlines()` and JavaScript's line reading treat as line
# breaks; inside a JSON string their escapes mean the same, so one object stays one line for every reader.
_LINE_BREAKS_IN_JSON = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def json_line(data: dict) -> str:
    """`data` as one JSONL line: UTF-8 text kept readable, every line-breaking character escaped."""
    return json.dumps(data, ensure_ascii=False).translate(_LINE_BREAKS_IN_JSON) + "\n"


def fix_stream(
    lines: Iterable[InputLine],
    write: Callable[[str], None],
    get_corrector: Callable[[], Corrector],
    fmt: OutputFormat = "text",
    color: bool = False,
    on_progress: Callable[[int], None] | None = None,
    flush: Callable[[], None] | None = None,
) -> FixSummary:
    """Correct `lines` chunk by chunk, writing each output line through `write` as soon as it is ready.

    Memory stays flat whatever the input size: one chunk of lines is held at a time. `flush` is called
    after each chunk (the CLI pushes the finished lines out to the reader then).
    """
    summary = FixSummary()
    chunk: list[InputLine] = []

    def correct_chunk() -> None:
        for line, correction in zip(chunk, correct_input_lines(chunk, get_corrector, on_progress)):
            summary.lines += 1
            summary.edits += len(correction.edits)
            summary.refused += len(correction.rejected)
            if correction.note == _NOT_UTF8_NOTE:
                summary.not_utf8_count += 1
                if len(summary.not_utf8_lines) < 5:
                    summary.not_utf8_lines.append(summary.lines)
            write(format_correction(correction, line, fmt, color, summary.lines))
        chunk.clear()
        if flush:
            flush()

    for line in lines:
        chunk.append(line)
        if len(chunk) >= CHUNK_LINES:
            correct_chunk()
    if chunk:
        correct_chunk()
    return summary


def fix_lines(lines: list[str], model: str | None = None, batch_size: int | None = None,
              engine: str | None = None, config: CorrectorConfig | None = None) -> list[Correction]:
    """Python API: one Correction per line (each line corrected independently); `model` None: the default."""
    inputs = [InputLine(line, "") for line in lines]
    return correct_input_lines(inputs, lambda: load_corrector(model or default_model_spec(), config, batch_size=batch_size, engine=engine))


def fix_text(text: str, model: str | None = None, batch_size: int | None = None,
             engine: str | None = None, config: CorrectorConfig | None = None) -> str:
    """Python API: the corrected text, with every line ending and blank line kept as it was; `model` None:
    the default."""
    lines = split_lines(text)
    corrections = correct_input_lines(lines, lambda: load_corrector(model or default_model_spec(), config, batch_size=batch_size, engine=engine))
    return "".join(c.output + line.ending for c, line in zip(corrections, lines))


def open_input(text_args: list[str], file: Path | None, stdin: BinaryIO) -> Iterable[InputLine]:
    """The lines to correct from arguments, a file, or stdin; InputError if none or several are given."""
    if text_args and file is not None:
        raise InputError("give the text as arguments or with --file, not both")
    if text_args:
        return split_lines(" ".join(text_args) + "\n")
    if file is not None:
        if str(file) == "-":
            return read_input_lines(stdin)
        if not file.exists():
            raise InputError(f"cannot read {file}: no such file")
        if file.is_dir():
            raise InputError(f"cannot read {file}: it is a directory; give a text file")
        try:
            handle = file.open("rb")
        except OSError as error:
            raise InputError(f"cannot read {file}: {error.strerror}") from None
        return read_input_lines(handle)
    if _is_terminal(stdin):
        raise InputError("no text given: pass TEXT, --file PATH, or pipe text on stdin")
    return read_input_lines(stdin)


def _is_terminal(stream: BinaryIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def default_color(stream=None) -> bool:
    """Color diffs only on a terminal, and never when NO_COLOR is set."""
    import os

    stream = stream or sys.stdout
    return "NO_COLOR" not in os.environ and _is_terminal(stream)
