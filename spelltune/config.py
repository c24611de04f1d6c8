"""Typed dataclass configs from YAML with `--set key=value` overrides, shared by every stage.

A stage declares its config as dataclasses with type hints; this module reads the YAML, applies the
overrides (dotted keys reach into sections, values parse as YAML) and converts and checks each value,
raising ConfigError with the key's path for an unknown key or a value of the wrong type.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from spelltune.errors import ConfigError

ConfigT = TypeVar("ConfigT")


def read_config_yaml(path: Path | str) -> dict[str, Any]:
    """The mapping in a config YAML file, or ConfigError naming the file."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read it ({error.strerror})") from None
    except yaml.YAMLError as error:
        first = str(error).splitlines()[0] if str(error) else "parse error"
        raise ConfigError(f"{path}: not valid YAML ({first})") from None
    if loaded is not None and not isinstance(loaded, dict):
        raise ConfigError(f"{path}: expected a mapping of config keys")
    return loaded or {}


def apply_override(data: dict[str, Any], assignment: str) -> None:
    """Apply one `key=value` to a config mapping (dotted keys reach into sections; values parse as YAML)."""
    import yaml

    key, equals, raw = assignment.partition("=")
    if not equals or not key.strip():
        raise ConfigError(f"--set {assignment!r}: expected key=value")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise ConfigError(f"--set {assignment!r}: the value is not valid YAML ({error})") from None
    parts = key.strip().split(".")
    target = data
    for part in parts[:-1]:
        nested = target.setdefault(part, {})
        if not isinstance(nested, dict):
            raise ConfigError(f"--set {assignment!r}: {part} is not a section")
        target = nested
    target[parts[-1]] = value


def read_config_with_overrides(path: Path | str | None, overrides: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """The YAML file's mapping (empty when `path` is None) with every `key=value` applied."""
    data = read_config_yaml(path) if path is not None else {}
    for assignment in overrides:
        apply_override(data, assignment)
    return data


def dataclass_from_dict(cls: type[ConfigT], data: Any, where: str = "config") -> ConfigT:
    """An instance of the dataclass `cls` from a mapping, each value converted to its field's type."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    unknown = sorted(set(map(str, data)) - set(names))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(names)}")
    return cls(**{k: _convert(v, hints[k], f"{where}.{k}") for k, v in data.items()})


def _convert(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(value, args[0], where)
    if dataclasses.is_dataclass(hint):
        return dataclass_from_dict(hint, value, where)  # type: ignore[arg-type]
    if origin is list:
        if isinstance(value, str):  # `--set lora.target_modules=all-linear`
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list, got {value!r}")
        (item,) = typing.get_args(hint)
        return [_convert(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {value!r}")
        _, item = typing.get_args(hint)
        return {str(k): _convert(v, item, f"{where}.{k}") for k, v in value.items()}
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint is float and isinstance(value, str):  # YAML reads 2e-4 (no dot) as a string
        try:
            return float(value)
        except ValueError:
            pass
    if hint is str and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    if hint in (int, bool) and type(value) is hint:
        return value
    raise ConfigError(f"{where}: expected {getattr(hint, '__name__', hint)}, got {value!r}")
