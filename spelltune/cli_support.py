"""What every command sets up once: the process environment and quiet third-party libraries."""

from __future__ import annotations

import os
import sys


def configure_process_environment() -> None:
    """Environment variables that must be set before torch and tokenizers start (the CLI's first act).

    On two cores, OpenMP threads that spin made decoding swing between 2.4 and 17 tokens/s; PASSIVE
    keeps it steady. A value the user set wins. Python API users set it themselves before importing torch.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    limit_malloc_arenas()


# glibc's mallopt parameter for the number of malloc arenas.
_M_ARENA_MAX = -8


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Let the threads of the inference runtime share `arenas` malloc arenas (glibc only; no-op elsewhere).

    glibc gives each thread its own arena, and memory a batch frees in one stays resident, so the
    peak grows with the threads. A MALLOC_ARENA_MAX the user set wins (set it to 8 to compare).
    """
    if "MALLOC_ARENA_MAX" in os.environ or not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_ARENA_MAX, arenas)
    except (OSError, AttributeError):  # not glibc (musl, ...): nothing to tune
        pass


def quiet_warnings() -> None:
    """Hide libraries' deprecation notices: they are for developers, not for someone correcting a letter."""
    import warnings

    if os.environ.get("SPELLTUNE_DEBUG"):
        return
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="torch")


def quiet_libraries() -> None:
    """Silence library logging meant for developers (call before loading models); progress bars only on terminals."""
    quiet_warnings()
    if os.environ.get("SPELLTUNE_DEBUG"):
        return
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return
    hf_logging.set_verbosity_error()
    if not sys.stderr.isatty():  # progress bars in a log file are noise
        hf_logging.disable_progress_bar()
        try:
            import datasets

            datasets.disable_progress_bars()
        except ImportError:
            pass
