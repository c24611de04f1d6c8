"""The QWERTY layout: which keys sit next to which, for adjacent-key typos."""

from __future__ import annotations

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# Each row is shifted right by about half a key relative to the one above it.
_ROW_OFFSETS = (0.0, 0.25, 0.75)


def _positions() -> dict[str, tuple[int, float]]:
    return {
        key: (row, col + _ROW_OFFSETS[row]) for row, keys in enumerate(_ROWS) for col, key in enumerate(keys)
    }


def _neighbours() -> dict[str, str]:
    positions = _positions()
    result: dict[str, str] = {}
    for key, (row, x) in positions.items():
        near = [
            other
            for other, (other_row, other_x) in positions.items()
            if other != key and abs(other_row - row) <= 1 and abs(other_x - x) <= 1.0
        ]
        result[key] = "".join(sorted(near))
    return result


QWERTY_NEIGHBOURS: dict[str, str] = _neighbours()
"""For each lowercase letter, the letters on the keys that touch it, sorted."""
