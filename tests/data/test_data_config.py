"""DataConfig: every shipped preset loads; overrides apply; mistakes are ConfigErrors."""

from __future__ import annotations

from pathlib import Path

import pytest

from spelltune.data.config import DataConfig, load_data_config
from spelltune.errors import ConfigError

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs" / "data"


@pytest.mark.parametrize("path", sorted(CONFIG_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_config_loads(path: Path) -> None:
    config = load_data_config(path)
    assert isinstance(config, DataConfig) and config.pairs > 0


def test_presets_are_what_their_names_promise() -> None:
    quick = load_data_config(CONFIG_DIR / "quick.yaml")
    full = load_data_config(CONFIG_DIR / "full.yaml")
    assert full.pairs >= 100_000 > quick.pairs
    for config in (quick, full):  # embedded sources only: they build on a fresh machine
        assert all(s.kind == "embedded" for s in config.sentences)
        assert all(m.kind == "codespell" and m.path is None for m in config.misspellings)
        assert 0.10 <= config.category_mix["pass_through"] / sum(config.category_mix.values()) <= 0.20


def test_set_overrides_reach_nested_keys() -> None:
    config = load_data_config(CONFIG_DIR / "quick.yaml", ["pairs=123", "category_mix.typo=0.5", "seed=9"])
    assert (config.pairs, config.category_mix["typo"], config.seed) == (123, 0.5, 9)
    assert config.category_mix["homophone"] == 0.15  # untouched keys keep their values


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["paris=3"], "unknown key"),
        (["category_mix.typos=0.5"], "unknown typos"),
        (["pairs=many"], "expected int"),
        (["test_fraction=1.5"], "between 0 and 1"),
        (["sentences=[{kind: web}]"], "unknown kind 'web'"),
        (["misspellings=[{kind: mitton}]"], "needs a path"),
        (["novalue"], "expected key=value"),
    ],
)
def test_bad_settings_raise_config_error(overrides: list[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_data_config(None, overrides)


def test_unknown_key_in_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("pairs: 10\nsentences:\n  - kind: embedded\n    colour: red\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml\.sentences\[0\]: unknown key\(s\) colour"):
        load_data_config(path)
