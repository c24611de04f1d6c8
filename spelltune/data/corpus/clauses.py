"""The hand-written building blocks of the embedded everyday-English corpus (Apache-2.0, written for
spelltune), read from clauses.yaml beside this file once, on first use.

`CLAUSES`: complete, correctly spelled clauses without end punctuation; together they give homophones,
contractions and everyday vocabulary the contexts a corrector must learn. `STANDALONE`: whole sentences.
`OPENERS` and `CONNECTORS`: what generate_everyday.py begins sentences with and joins clauses by.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

# Module attribute -> key in clauses.yaml.
_KEYS = {"CLAUSES": "clauses", "STANDALONE": "standalone", "OPENERS": "openers", "CONNECTORS": "connectors"}

__all__ = list(_KEYS)


@lru_cache(maxsize=1)
def building_blocks() -> dict[str, tuple[str, ...]]:
    """Each list of clauses.yaml as a tuple of strings, by module attribute name (`CLAUSES`, ...)."""
    import yaml

    data = yaml.safe_load((files("spelltune.data.corpus") / "clauses.yaml").read_text(encoding="utf-8"))
    blocks = {}
    for name, key in _KEYS.items():
        entries = data.get(key) if isinstance(data, dict) else None
        if not isinstance(entries, list) or not all(isinstance(entry, str) for entry in entries):
            raise ValueError(f"clauses.yaml: {key} must be a list of strings (quote an entry YAML reads as another type)")
        blocks[name] = tuple(entries)
    return blocks


def __getattr__(name: str) -> tuple[str, ...]:
    if name in _KEYS:
        return building_blocks()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
