"""Shared fixtures: the real BEA-322 benchmark (skipped when ../shared/data is absent)."""

from pathlib import Path

import pytest

BEA322 = Path(__file__).resolve().parents[3] / "shared" / "data" / "neuspell-bea322"


@pytest.fixture(scope="session")
def bea322_dir() -> Path:
    """The BEA-322 folder (corrupt.txt / correct.txt)."""
    if not (BEA322 / "corrupt.txt").is_file():
        pytest.skip(f"BEA-322 not found at {BEA322}")
    return BEA322
