"""One engine behind every model call: generation and scoring on torch, CTranslate2 and exported runtimes."""

from spelltune.engine.base import Engine, EngineInfo
from spelltune.engine.registry import engine_infos, load_engine

__all__ = ["Engine", "EngineInfo", "engine_infos", "load_engine"]
