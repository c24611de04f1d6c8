"""Resolve a corrector spec: a classic spell checker by name, or any model spec for the LM engine."""

from __future__ import annotations

from spelltune.correct.corrector import Corrector


def classic_corrector_names() -> list[str]:
    """Names of the classic (non-LM) correctors, usable wherever a model spec is accepted."""
    from spelltune.correct.classic import CLASSIC_CORRECTORS

    return sorted(CLASSIC_CORRECTORS)


def load_corrector(
    spec: str,
    *,
    batch_size: int = 16,
    device: str | None = None,
    dtype: str = "auto",
) -> Corrector:
    """A ready corrector for `spec`: `identity`, `symspell`, … or a model spec (see `spelltune models`)."""
    try:
        from spelltune.correct.classic import CLASSIC_CORRECTORS
    except ModuleNotFoundError:
        CLASSIC_CORRECTORS = {}
    if spec in CLASSIC_CORRECTORS:
        return CLASSIC_CORRECTORS[spec]()

    from spelltune.correct.lm import LMCorrector
    from spelltune.models import load_model

    return LMCorrector(load_model(spec, device=device, dtype=dtype), batch_size=batch_size)
