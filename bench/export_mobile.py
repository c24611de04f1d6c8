"""Time the on-device exports (ExecuTorch, Core ML) of a real model: seconds, peak memory, size, |Δlogit|.

    flock /tmp/spelltune-heavy.lock .venv/bin/python bench/export_mobile.py --model default \
        --to executorch --quant float32 --out /tmp/export-executorch

Needs `pip install 'spelltune[executorch]'` or `'spelltune[coreml]'`. The model is merged first (not
timed); the writer then runs in this process and the script prints one JSON line: the writer's seconds,
the process's peak resident memory (ru_maxrss, which includes the merged model loaded for the check),
the artefact's size and the writer's own check (max |Δlogit| on the check prompt for ExecuTorch; the
spec check for Core ML).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import time
from pathlib import Path

import spelltune  # noqa: F401  (sets OMP_WAIT_POLICY before torch loads)


def main() -> None:
    """Parse the arguments, export once and print the measurements as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default", help="any model spec (default: the shipped model)")
    parser.add_argument("--to", choices=["executorch", "coreml"], required=True)
    parser.add_argument("--quant", default="float32", choices=["float32", "int8"])
    parser.add_argument("--max-seq-len", type=int, default=512)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    args = parser.parse_args()

    from spelltune.models.merged import merged_model_dir

    model_dir = merged_model_dir(args.model)
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    started = time.perf_counter()
    if args.to == "executorch":
        from spelltune.export.executorch_format import METADATA_FILE, write_executorch

        files = write_executorch(model_dir, args.out, args.quant, max_seq_len=args.max_seq_len)
    else:
        from spelltune.export.coreml_format import METADATA_FILE, write_coreml

        files = write_coreml(model_dir, args.out, args.quant, max_seq_len=args.max_seq_len)
    seconds = time.perf_counter() - started
    check = json.loads((args.out / METADATA_FILE).read_text())["check"]
    if args.to == "coreml":
        check = {key: value for key, value in check.items() if key != "ops"}
    print(json.dumps({
        "model": args.model, "to": args.to, "quant": args.quant, "max_seq_len": args.max_seq_len,
        "seconds": round(seconds, 1),
        "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2, 2),
        "size_mb": round(sum(path.stat().st_size for path in files) / 1e6, 1),
        "check": check,
    }))


if __name__ == "__main__":
    main()
