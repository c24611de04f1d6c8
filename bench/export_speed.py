"""Benchmark exported models: load time, sentences/s at batch 1, size, strict exact match — one table.

    .venv/bin/python bench/export_speed.py [--model default] [--formats gguf,ctranslate2,onnx] \
        [--exports exports] [--bea322 ../shared/data/neuspell-bea322] [--out bench/export_speed.md]

Each format is read from EXPORTS/<format> when that folder holds an export, else exported there first
(`spelltune export MODEL --to FORMAT --no-check`). The PyTorch model itself is the first row. Every
row runs the whole corrector (guard and second pass) with the shipped config:

- load (s): loading the engine in this process (a GGUF is dequantized once into the user cache; the
  time after that is what is shown when the cache is warm);
- sentences/s: batch 1 over the first `--speed-sentences` inputs of the own suite;
- size: the artefact's files (the model card, checksums and parity report included);
- exact: strict exact match on the own suite and, with `--bea322`, on BEA-322 (`--bea-limit N`: its first N).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spelltune  # noqa: F401  (sets OMP_WAIT_POLICY before torch loads)

# format -> (engine that runs it, how to find what `--model` takes inside the export folder)
RUNS = {"gguf": "torch", "ctranslate2": "ctranslate2", "onnx": "onnx"}


def run_spec(format_name: str, folder: Path) -> str:
    """What `spelltune fix --model` takes for an export folder (the .gguf file for GGUF)."""
    if format_name == "gguf":
        return str(next(folder.glob("*.gguf")))
    return str(folder)


def folder_size(folder: Path) -> int:
    """Bytes of every file under `folder`."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def measure(name: str, spec: str, engine_name: str, own, bea, speed_inputs: list[str]) -> dict:
    """One table row: load the engine, time batch-1 correction, exact match on the suites."""
    from spelltune.correct.config import load_corrector_config
    from spelltune.correct.lm import LMCorrector
    from spelltune.engine import load_engine

    config = load_corrector_config(None)
    started = time.perf_counter()
    engine = load_engine(spec, engine=engine_name)
    load_seconds = time.perf_counter() - started
    single = LMCorrector(engine, config, batch_size=1)
    single.correct_lines(speed_inputs[:2])  # warm-up
    started = time.perf_counter()
    single.correct_lines(speed_inputs)
    per_second = len(speed_inputs) / (time.perf_counter() - started)
    batched = LMCorrector(engine, config)
    row = {"name": name, "engine": engine_name, "load": load_seconds, "per_second": per_second}
    for key, suite in (("own", own), ("bea", bea)):
        if suite is None:
            row[key] = None
            continue
        outputs = [c.output for c in batched.correct_lines([case.input for case in suite.cases])]
        row[key] = sum(o == case.expected for o, case in zip(outputs, suite.cases)) / len(suite.cases)
    engine.close()
    return row


def _import_runtimes() -> None:
    import importlib

    for module in ("torch", "transformers", "peft", "ctranslate2", "onnxruntime", "spelltune.engine.torch_engine",
                   "spelltune.engine.ctranslate2_engine", "spelltune.engine.onnx_engine", "spelltune.correct.lm"):
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: F401  (lazy modules)


def main() -> None:
    """Export (if needed), measure every format, write the markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default")
    parser.add_argument("--formats", default="gguf,ctranslate2,onnx")
    parser.add_argument("--exports", type=Path, default=Path("exports"))
    parser.add_argument("--bea322", type=Path, default=None, help="corrupt/correct folder (BEA-322)")
    parser.add_argument("--speed-sentences", type=int, default=30)
    parser.add_argument("--bea-limit", type=int, default=None, help="first N sentences of BEA-322 (faster)")
    parser.add_argument("--out", type=Path, default=Path("bench/export_speed.md"))
    args = parser.parse_args()

    from spelltune.cli_support import quiet_libraries
    from spelltune.evaluate.suites import load_suite
    from spelltune.export.run import export_model, merged_source

    quiet_libraries()
    _import_runtimes()  # so the first row's load time is not also Python's import time
    own = load_suite("own")
    bea = load_suite(str(args.bea322), limit=args.bea_limit) if args.bea322 else None
    speed_inputs = list(dict.fromkeys(case.input for case in own.cases))[: args.speed_sentences]
    reference = merged_source(args.model)
    rows = [{**measure(f"{args.model} (PyTorch)", args.model, "torch", own, bea, speed_inputs),
             "size": folder_size(reference)}]
    print(rows[-1], flush=True)
    for format_name in [name.strip() for name in args.formats.split(",") if name.strip()]:
        folder = args.exports / format_name
        if not (folder / "SHA256SUMS").is_file():
            export_model(args.model, format_name, folder, force=True, check=False,
                         on_status=lambda message: print(message, flush=True))
        spec = run_spec(format_name, folder)
        rows.append({**measure(format_name, spec, RUNS[format_name], own, bea, speed_inputs),
                     "size": folder_size(folder)})
        print(rows[-1], flush=True)
    header = ("| model | engine | load (s) | sentences/s, batch 1 | size (MB) | exact, own suite "
              f"({len(own.cases)}) |" + (f" exact, BEA-322 ({len(bea.cases)}) |" if bea else ""))
    lines = [header, "|---|---|---|---|---|---|" + ("---|" if bea else "")]
    for row in rows:
        lines.append(f"| {row['name']} | {row['engine']} | {row['load']:.1f} | {row['per_second']:.2f} | "
                     f"{row['size'] / 1e6:.0f} | {row['own']:.1%} |" + (f" {row['bea']:.1%} |" if bea else ""))
    table = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table)
    print(table)


if __name__ == "__main__":
    main()
