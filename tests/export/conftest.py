"""Fixtures for export tests: fake formats plugged into the registry for the duration of one test."""

from __future__ import annotations

import sys
import types

import pytest


@pytest.fixture
def fake_format(monkeypatch):
    """Register a format named `fake` whose writer is the given function (module created on the fly)."""
    from spelltune.export import formats

    def register(writer, **fields):
        module = types.ModuleType("spelltune_fake_export_writer")
        module.write_fake = writer
        monkeypatch.setitem(sys.modules, module.__name__, module)
        export_format = formats.ExportFormat("fake", "a test format", module.__name__, "write_fake", extra=None,
                                             **fields)
        monkeypatch.setitem(formats.FORMATS, "fake", export_format)
        return export_format

    return register
