"""codespell's bundled dictionary (CC BY-SA 3.0): misspellings found in real code and comments,
one `wrong->right` per line. Lines with several candidates (`wrong->a, b,`) or a reason for not
fixing (`wrong->right, reason`) are ambiguous and skipped."""

from __future__ import annotations

from pathlib import Path

from spelltune.data.sources.files import malformed, read_lines
from spelltune.data.types import WordMisspelling
from spelltune.errors import InputError

CODESPELL_LICENSE = "CC BY-SA 3.0"


def codespell_dictionary_path() -> Path:
    """The dictionary file installed with the `codespell` package."""
    try:
        import codespell_lib
    except ImportError as error:
        raise InputError("the codespell dictionary needs `pip install codespell`") from error
    return Path(codespell_lib.__file__).parent / "data" / "dictionary.txt"


def load_codespell_dictionary(path: Path | str | None = None, source: str = "codespell") -> list[WordMisspelling]:
    """Every unambiguous, purely alphabetic `wrong->right` pair (default: the installed dictionary)."""
    path = Path(path) if path is not None else codespell_dictionary_path()
    pairs: list[WordMisspelling] = []
    for number, line in read_lines(path):
        if not line.strip() or line.startswith("#"):
            continue
        wrong, arrow, right = line.partition("->")
        if not arrow or not wrong.strip():
            raise malformed(path, number, "expected `wrong->right`", line)
        wrong, right = wrong.strip(), right.strip()
        if "," in right or not right:
            continue
        if wrong.isalpha() and right.replace("'", "").isalpha() and wrong.lower() != right.lower():
            pairs.append(WordMisspelling(correct=right, misspelling=wrong, source=source))
    return pairs
