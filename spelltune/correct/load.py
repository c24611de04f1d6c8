"""Resolve a corrector spec: a classic spell checker by name, or any model spec on an engine."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from functools import lru_cache

from spelltune.correct.config import CorrectorConfig
from spelltune.correct.corrector import Corrector


def classic_corrector_names() -> list[str]:
    """Names of the classic (non-LM) correctors, usable wherever a model spec is accepted."""
    from spelltune.correct.classic import CLASSIC_CORRECTORS

    return sorted(CLASSIC_CORRECTORS)


def cached_engine(spec: str, engine: str = "auto", device: str | None = None, dtype: str = "auto",
                  compute_type: str = "default", trust_remote_code: bool = False):
    """An engine loaded once per process for these settings and these model files, shared by every
    corrector built on it: a model saved again at the same path is loaded again."""
    from spelltune.models.fingerprint import model_files_stamp

    return _engine_for_files(spec, model_files_stamp(spec), engine, device, dtype, compute_type, trust_remote_code)


# Engines loaded so far (the four used last), by spec, model files and engine settings.
_ENGINES: OrderedDict[tuple, object] = OrderedDict()
_ENGINES_LOCK = threading.Lock()
_MAX_ENGINES = 4


def _engine_for_files(spec: str, files_stamp: str, engine: str, device: str | None, dtype: str,
                      compute_type: str, trust_remote_code: bool):
    """`cached_engine`'s store: the files' stamp is part of the key, so changed files make a new entry."""
    from spelltune.engine import load_engine

    key = (spec, files_stamp, engine, device, dtype, compute_type, trust_remote_code)
    with _ENGINES_LOCK:
        if key in _ENGINES:
            _ENGINES.move_to_end(key)
            return _ENGINES[key]
    loaded = load_engine(spec, engine=engine, device=device, dtype=dtype, compute_type=compute_type,
                         trust_remote_code=trust_remote_code)
    with _ENGINES_LOCK:
        loaded = _ENGINES.setdefault(key, loaded)  # another thread's copy, if it was quicker
        _ENGINES.move_to_end(key)
        while len(_ENGINES) > _MAX_ENGINES:
            _ENGINES.popitem(last=False)
    return loaded


@lru_cache(maxsize=8)
def _classic_corrector(name: str) -> Corrector:
    """A classic corrector built once per process (pyspellchecker indexes its word list for seconds)."""
    from spelltune.correct.classic import CLASSIC_CORRECTORS

    return CLASSIC_CORRECTORS[name]()


def load_corrector(
    spec: str,
    config: CorrectorConfig | None = None,
    *,
    batch_size: int | None = None,
    device: str | None = None,
    dtype: str | None = None,
    rescore: bool | None = None,
    engine: str | None = None,
) -> Corrector:
    """A ready corrector for `spec`: `identity`, `symspell`, … or a model spec (see `spelltune models`).

    `config` holds every setting (configs/correct/default.yaml); the keyword arguments override its
    fields. `rescore=False` turns off the second pass over dictionary candidates (LM specs only). The
    model is loaded once per process and engine; correctors with other settings share it.
    """
    try:
        from spelltune.correct.classic import CLASSIC_CORRECTORS
    except ModuleNotFoundError:
        CLASSIC_CORRECTORS = {}
    if spec in CLASSIC_CORRECTORS:
        return _classic_corrector(spec)

    config = with_overrides(config or CorrectorConfig(), batch_size=batch_size, device=device, dtype=dtype,
                            rescore=rescore, engine=engine)
    return _lm_corrector(spec, config)


# Correctors built so far, by spec, model files and settings: `fix` asks for its corrector once per chunk
# of lines.
_LM_CORRECTORS: dict[tuple[str, str, str], Corrector] = {}
_LM_CORRECTORS_LOCK = threading.Lock()


def forget_loaded_models() -> None:
    """Drop every engine and corrector this process loaded (their memory goes with the last user)."""
    with _LM_CORRECTORS_LOCK:
        _LM_CORRECTORS.clear()
    with _ENGINES_LOCK:
        _ENGINES.clear()


def forget_loaded_model(spec: str) -> None:
    """Drop the engines and correctors this process loaded for `spec` (a server evicting a writer's model):
    its weights are freed once nothing else uses them."""
    with _LM_CORRECTORS_LOCK:
        for key in [key for key in _LM_CORRECTORS if key[0] == spec]:
            del _LM_CORRECTORS[key]
    with _ENGINES_LOCK:
        for key in [key for key in _ENGINES if key[0] == spec]:
            del _ENGINES[key]


def _lm_corrector(spec: str, config: CorrectorConfig) -> Corrector:
    """The LM corrector for `spec` with `config`, built once per process and model files (its engine is
    shared wider)."""
    from spelltune.correct.lm import LMCorrector
    from spelltune.models.fingerprint import model_files_stamp

    key = (spec, model_files_stamp(spec), repr(config))
    with _LM_CORRECTORS_LOCK:
        if key not in _LM_CORRECTORS:
            settings = config.engine
            loaded = cached_engine(spec, settings.name, settings.device, settings.dtype, settings.compute_type,
                                   settings.trust_remote_code)
            if len(_LM_CORRECTORS) >= 16:
                _LM_CORRECTORS.clear()
            _LM_CORRECTORS[key] = LMCorrector(loaded, config)
        return _LM_CORRECTORS[key]


def with_overrides(config: CorrectorConfig, *, batch_size: int | None = None, device: str | None = None,
                   dtype: str | None = None, rescore: bool | None = None, engine: str | None = None) -> CorrectorConfig:
    """A copy of `config` with the given command-line style overrides (None keeps the config's value)."""
    engine_settings = config.engine
    changes = {key: value for key, value in
               {"batch_size": batch_size, "device": device, "dtype": dtype, "name": engine}.items() if value is not None}
    if changes:
        engine_settings = replace(engine_settings, **changes)
    rescore_settings = config.rescore if rescore is None else replace(config.rescore, enabled=rescore)
    return replace(config, engine=engine_settings, rescore=rescore_settings)
