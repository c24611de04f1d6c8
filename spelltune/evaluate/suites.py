"""Evaluation suites: the project's own categorized suite and benchmarks read from files.

A suite is given by name or path:
- `own`, `own-dev`, `own-test`: the categorized suite shipped in `spelltune/evaluate/suites/own.jsonl`
  (all of it, or its dev or test half).
- a folder (or its `corrupt.txt`) holding `corrupt.txt` / `correct.txt`: line i of one is the input,
  line i of the other the expected output (NeuSpell-style benchmarks such as BEA-322).
- a JSONL file with `input` and `expected` per row (optional `category`, `subcategory`, `split`, `id`).
- a dataset's test split from `spelltune data build`: JSONL rows `{"input", "output", "category", …}`,
  given as the file or as the dataset folder holding `test.jsonl`.

Any suite name or path may end in `:dev` or `:test` for that half only: cases carrying a `split` keep
theirs; the others (BEA-322, plain files) are halved by `balanced_hash_split` on their ids, so a choice
tuned on `…:dev` is reported on `…:test` (`--suite ../shared/data/neuspell-bea322:test`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from spelltune.errors import DataFormatError, InputError
from spelltune.jsonl import read_jsonl_objects

BUILTIN_SUITES = ("own", "own-dev", "own-test")
SPLITS = ("dev", "test")


def balanced_hash_split(ids: list[str]) -> dict[str, str]:
    """A deterministic dev/test half for each id: ids ranked by their SHA-1, alternately dev and test.

    The ranking depends only on the ids, so the halves never change when cases are read in another
    order, and they differ in size by at most one.
    """
    ranked = sorted(ids, key=lambda case_id: hashlib.sha1(case_id.encode("utf-8")).hexdigest())
    return {case_id: SPLITS[rank % 2] for rank, case_id in enumerate(ranked)}


@dataclass(frozen=True)
class EvalCase:
    """One sentence to correct and the single output that counts as right."""

    id: str
    input: str
    expected: str
    category: str
    subcategory: str = ""
    split: str = ""
    error_types: tuple[str, ...] = ()


@dataclass
class Suite:
    """A named list of cases and where they came from."""

    name: str
    source: str
    cases: list[EvalCase] = field(default_factory=list)

    def categories(self) -> list[str]:
        """The cases' categories, in order of first appearance."""
        return list(dict.fromkeys(case.category for case in self.cases))


def load_suite(name_or_path: str, *, limit: int | None = None) -> Suite:
    """Load a built-in suite by name or a benchmark from a path; keep the first `limit` cases if given."""
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1, got {limit}")
    base, _, half = name_or_path.rpartition(":")
    if base and half in SPLITS:
        suite = load_suite(base)
        suite = select_split(suite, half)
        if limit is not None:
            suite.cases = suite.cases[:limit]
        return suite
    if name_or_path in BUILTIN_SUITES:
        suite = load_builtin_suite(name_or_path)
    else:
        suite = load_suite_path(Path(name_or_path).expanduser())
    if not suite.cases:
        raise InputError(f"suite '{name_or_path}' has no cases: give a file with at least one sentence")
    if limit is not None:
        suite.cases = suite.cases[:limit]
    return suite


def select_split(suite: Suite, half: str) -> Suite:
    """The `half` (dev or test) of `suite`: each case's own `split`, else `balanced_hash_split` of the ids."""
    unmarked = balanced_hash_split([case.id for case in suite.cases if not case.split])
    cases = [case for case in suite.cases if (case.split or unmarked[case.id]) == half]
    if not cases:
        raise InputError(f"suite '{suite.name}' has no {half} cases")
    return Suite(name=f"{suite.name}:{half}", source=suite.source, cases=cases)


def load_builtin_suite(name: str) -> Suite:
    """The project's own categorized suite (`own`), or its dev or test half (`own-dev`, `own-test`)."""
    resource = files("spelltune.evaluate") / "suites" / "own.jsonl"
    cases = _read_jsonl_cases(Path(str(resource)), default_category="uncategorized", id_prefix="own")
    split = name.removeprefix("own").removeprefix("-")
    if split:
        cases = [case for case in cases if case.split == split]
    return Suite(name=name, source=f"spelltune built-in suite {name}", cases=cases)


def load_suite_path(path: Path) -> Suite:
    """A benchmark from a folder of corrupt/correct text files or from a JSONL file."""
    if path.is_dir():
        if (path / "corrupt.txt").is_file() or (path / "correct.txt").is_file():
            return load_text_pairs(path / "corrupt.txt", path / "correct.txt", name=path.name)
        for candidate in ("test.jsonl", "splits/test.jsonl"):
            if (path / candidate).is_file():
                return _jsonl_suite(path / candidate, name=path.name)
        raise InputError(
            f"{path} is a folder without corrupt.txt/correct.txt or test.jsonl: "
            f"give a suite name ({', '.join(BUILTIN_SUITES)}), a benchmark folder or a JSONL file"
        )
    if not path.exists():
        raise InputError(
            f"no suite named '{path}' and no such file: use {', '.join(BUILTIN_SUITES)}, "
            f"a folder with corrupt.txt/correct.txt, or a JSONL file"
        )
    if path.name == "corrupt.txt":
        return load_text_pairs(path, path.with_name("correct.txt"), name=path.parent.name)
    if path.suffix == ".jsonl":
        name = path.parent.name if path.stem == "test" else path.stem
        return _jsonl_suite(path, name=name)
    raise InputError(f"{path}: a suite file must be .jsonl (or a corrupt.txt beside its correct.txt)")


def load_text_pairs(corrupt_path: Path, correct_path: Path, *, name: str) -> Suite:
    """Line i of `corrupt_path` is the input, line i of `correct_path` the expected output."""
    corrupt_lines = _read_lines(corrupt_path)
    correct_lines = _read_lines(correct_path)
    if len(corrupt_lines) != len(correct_lines):
        raise DataFormatError(
            f"{corrupt_path} has {len(corrupt_lines)} lines but {correct_path} has {len(correct_lines)}: "
            f"line i of one must pair with line i of the other"
        )
    cases = [
        EvalCase(id=f"{name}-{number}", input=corrupt, expected=correct, category=name)
        for number, (corrupt, correct) in enumerate(zip(corrupt_lines, correct_lines), start=1)
    ]
    return Suite(name=name, source=str(corrupt_path.parent), cases=cases)


def _jsonl_suite(path: Path, *, name: str) -> Suite:
    return Suite(name=name, source=str(path), cases=_read_jsonl_cases(path, default_category=name, id_prefix=name))


def _read_lines(path: Path) -> list[str]:
    if not path.is_file():
        raise InputError(f"{path} is missing: a text-pair benchmark needs both corrupt.txt and correct.txt")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise DataFormatError(f"{path}:{line}: not UTF-8 text") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    return text.splitlines()


def _read_jsonl_cases(path: Path, *, default_category: str, id_prefix: str) -> list[EvalCase]:
    cases = []
    for number, row in read_jsonl_objects(path):
        expected = row.get("expected", row.get("output"))
        if not isinstance(row.get("input"), str) or not isinstance(expected, str):
            raise DataFormatError(
                f"{path}:{number}: each row needs string fields 'input' and 'expected' (or 'output')"
            )
        error_types = row.get("error_types") or ()
        if isinstance(error_types, str):
            error_types = (error_types,)
        cases.append(
            EvalCase(
                id=str(row.get("id") or f"{id_prefix}-{number}"),
                input=row["input"],
                expected=expected,
                category=str(row.get("category") or default_category),
                subcategory=str(row.get("subcategory") or ""),
                split=str(row.get("split") or ""),
                error_types=tuple(str(item) for item in error_types),
            )
        )
    return cases
