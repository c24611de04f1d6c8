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
    rescore: bool = True,
) -> Corrector:
    """A ready corrector for `spec`: `identity`, `symspell`, … or a model spec (see `spelltune models`).

    `rescore=False` turns off the model's second pass over dictionary candidates (LM specs only).
    """
    try:
        from spelltune.correct.classic import CLASSIC_CORRECTORS
    except ModuleNotFoundError:
        CLASSIC_CORRECTORS = {}
    if spec in CLASSIC_CORRECTORS:
        return CLASSIC_CORRECTORS[spec]()

    from spelltune.correct.lm import GenerationSettings, LMCorrector
    from spelltune.correct.rescore import RescoreSettings
    from spelltune.models import load_model

    settings = GenerationSettings(rescore=RescoreSettings(enabled=rescore))
    return LMCorrector(load_model(spec, device=device, dtype=dtype), batch_size=batch_size, settings=settings)
