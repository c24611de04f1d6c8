"""Show a correction as an inline diff: colored for terminals, wdiff-style `[-old-]{+new+}` otherwise."""

from __future__ import annotations

from spelltune.correct.corrector import Correction

_RED_STRUCK, _GREEN, _RESET = "\x1b[9;31m", "\x1b[32m", "\x1b[0m"


def render_diff(correction: Correction, color: bool = False) -> str:
    """The input with each accepted edit marked as a deletion of the old text and an insertion of the new."""
    parts, cursor = [], 0
    source = correction.input
    for edit in sorted(correction.edits, key=lambda item: (item.start, item.end)):
        parts.append(source[cursor : edit.start])
        if color:
            if edit.original:
                parts.append(f"{_RED_STRUCK}{edit.original}{_RESET}")
            if edit.replacement:
                parts.append(f"{_GREEN}{edit.replacement}{_RESET}")
        else:
            if edit.original:
                parts.append(f"[-{edit.original}-]")
            if edit.replacement:
                parts.append(f"{{+{edit.replacement}+}}")
        cursor = edit.end
    parts.append(source[cursor:])
    return "".join(parts)
