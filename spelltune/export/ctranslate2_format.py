"""`--to ctranslate2`: the directory the ctranslate2 engine converts to, as a shippable artefact."""

from __future__ import annotations

from pathlib import Path


def write_ctranslate2(model_dir: Path, out_dir: Path, quant: str | None) -> list[Path]:
    """Convert `model_dir` into a CTranslate2 model in `out_dir` (float32 or int8 weights on disk)."""
    from spelltune.engine.ctranslate2_engine import convert_to_ctranslate2

    convert_to_ctranslate2(Path(model_dir), Path(out_dir), quantization=quant or "float32")
    return sorted(path for path in Path(out_dir).iterdir() if path.is_file())
