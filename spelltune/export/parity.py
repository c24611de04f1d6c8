"""Parity: does an exported model answer like the PyTorch model it came from?

Three checks on a fixed set of sentences (the own suite's pass-through and known-correction cases, plus
up to 50 BEA-322 sentences when a benchmark folder is given):

1. `logits` — the largest |Δlogit| of the next token after each correction prompt;
2. `corrections` — the share of sentences the whole corrector (generation, guard, second pass) corrects
   identically on the export's engine and on `torch`;
3. `exact_match` — strict exact match against the expected sentence for both.

A lossless export (float weights) must pass all three; a quantized one reports its loss.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

# The benchmark sentences parity adds to the suite's, at most.
BENCHMARK_SENTENCES = 50
PARITY_CATEGORIES = ("pass_through", "known_corrections")


@dataclass(frozen=True)
class ParityCase:
    """One sentence of the parity set and the output that counts as right."""

    source: str  # own, bea322
    input: str
    expected: str


@dataclass
class ParityReport:
    """What the parity check measured, and which checks passed (written as parity.json)."""

    format: str
    quant: str | None
    engine: str
    sentences: int
    sources: dict[str, int]
    max_abs_logit_diff: float
    logit_tolerance: float | None
    identical_corrections: float
    exact_match_reference: float
    exact_match_export: float
    lossless: bool
    checks: dict[str, bool] = field(default_factory=dict)
    differing: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return all(self.checks.values())

    def failed_checks(self) -> list[str]:
        """Names of the checks that failed."""
        return [name for name, ok in self.checks.items() if not ok]

    def to_json_dict(self) -> dict:
        """A plain dict for parity.json."""
        return {**asdict(self), "passed": self.passed}

    def summary(self) -> str:
        """One line a person reads after an export."""
        return (f"parity on {self.sentences} sentences: max |Δlogit| {self.max_abs_logit_diff:.2e}, "
                f"identical corrections {self.identical_corrections:.1%}, exact match "
                f"{self.exact_match_export:.1%} (torch {self.exact_match_reference:.1%})"
                + ("" if self.passed else f" — FAILED: {', '.join(self.failed_checks())}"))


def default_benchmark_dir() -> Path | None:
    """BEA-322 in the shared corpora beside a source checkout (`../shared/data/neuspell-bea322`), if present."""
    root = Path(__file__).resolve().parents[2]
    candidate = root.parent / "shared" / "data" / "neuspell-bea322"
    return candidate if (candidate / "corrupt.txt").is_file() else None


def parity_cases(benchmark: Path | None = None, limit: int | None = None) -> list[ParityCase]:
    """The parity set: own-suite pass-through and corrections, then up to 50 benchmark sentences."""
    from spelltune.evaluate.suites import load_suite

    cases = [ParityCase("own", case.input, case.expected) for case in load_suite("own").cases
             if case.category in PARITY_CATEGORIES]
    if benchmark is not None:
        bench = load_suite(str(benchmark), limit=BENCHMARK_SENTENCES)
        cases += [ParityCase("bea322", case.input, case.expected) for case in bench.cases]
    if limit is not None:
        cases = _spread(cases, limit)
    return cases


def _spread(cases: list[ParityCase], limit: int) -> list[ParityCase]:
    # Keep both sources represented when cutting the set down: every n-th case.
    if limit >= len(cases):
        return cases
    step = len(cases) / max(1, limit)
    return [cases[int(index * step)] for index in range(limit)]


def check_parity(reference_spec: str, export_spec: str, export_engine: str, *, format_name: str,
                 quant: str | None, lossless: bool, logit_tolerance: float | None,
                 cases: list[ParityCase], on_status: Callable[[str], None] | None = None) -> ParityReport:
    """Run the three checks: `reference_spec` on torch against `export_spec` on `export_engine`."""
    import numpy as np

    from spelltune.correct.config import load_corrector_config
    from spelltune.correct.load import load_corrector
    from spelltune.prompt import build_prompt

    status = on_status or (lambda message: None)
    started = time.perf_counter()
    config = load_corrector_config(None)
    reference = load_corrector(reference_spec, config, engine="torch")
    exported = load_corrector(export_spec, config, engine=export_engine)
    inputs = [case.input for case in cases]
    expected = [case.expected for case in cases]

    status(f"parity 1/3: next-token logits on {len(cases)} prompts")
    prompts = [build_prompt(reference.engine.tokenizer, text) for text in inputs]
    reference_logits = np.asarray(reference.engine.next_token_logits(prompts), dtype=np.float64)
    export_logits = np.asarray(exported.engine.next_token_logits(prompts), dtype=np.float64)
    max_diff = float(np.max(np.abs(reference_logits - export_logits))) if len(prompts) else 0.0

    status(f"parity 2/3: the whole corrector on {len(cases)} sentences, torch")
    reference_out = [correction.output for correction in reference.correct_lines(inputs)]
    status(f"parity 2/3: the whole corrector on {len(cases)} sentences, the export on {export_engine}")
    export_out = [correction.output for correction in exported.correct_lines(inputs)]
    same = sum(a == b for a, b in zip(reference_out, export_out))
    identical = same / len(cases) if cases else 1.0
    exact_reference = _exact(reference_out, expected)
    exact_export = _exact(export_out, expected)

    report = ParityReport(
        format=format_name, quant=quant, engine=export_engine, sentences=len(cases),
        sources={source: sum(case.source == source for case in cases) for source in dict.fromkeys(c.source for c in cases)},
        max_abs_logit_diff=max_diff, logit_tolerance=logit_tolerance, identical_corrections=identical,
        exact_match_reference=exact_reference, exact_match_export=exact_export, lossless=lossless,
        differing=[{"input": text, "torch": a, "export": b}
                   for text, a, b in zip(inputs, reference_out, export_out) if a != b][:20],
    )
    if lossless:
        report.checks = {
            "logits": logit_tolerance is None or max_diff <= logit_tolerance,
            "corrections": same == len(cases),
            "exact_match": exact_reference == exact_export,
        }
    report.seconds = round(time.perf_counter() - started, 1)
    return report


def _exact(outputs: list[str], expected: list[str]) -> float:
    return sum(a == b for a, b in zip(outputs, expected)) / len(expected) if expected else 0.0
