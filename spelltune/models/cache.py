"""Where spelltune keeps what it derives from downloaded or embedded weights."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "SPELLTUNE_CACHE_DIR"


def cache_root() -> Path:
    """The cache directory: `$SPELLTUNE_CACHE_DIR`, else the platform's user cache for spelltune."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("spelltune"))
