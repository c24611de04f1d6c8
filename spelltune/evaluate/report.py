"""EvalReport: what one `spelltune eval` run measured, written as report.json and report.md."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from spelltune.atomic import write_json, write_text
from spelltune.errors import DataFormatError, InputError

REPORT_JSON = "report.json"
REPORT_MD = "report.md"

# Columns of the per-category table: (metric key, header, kind).
TABLE_COLUMNS = [
    ("sentences", "n", "int"),
    ("exact_match", "exact", "pct"),
    ("normalized_exact_match", "norm. exact", "pct"),
    ("word_correction_rate", "word corr.", "pct"),
    ("word_precision", "word prec.", "pct"),
    ("word_f0_5", "word F0.5", "pct"),
    ("words_broken", "broken", "int"),
    ("words_broken_rate", "broken %", "pct"),
    ("cer", "CER", "pct"),
    ("chrf", "chrF", "num"),
    ("bleu", "BLEU", "num"),
    ("rouge_l", "ROUGE-L", "pct"),
    ("edit_similarity", "edit sim.", "pct"),
]


@dataclass
class CaseResult:
    """One case as the corrector handled it."""

    id: str
    category: str
    subcategory: str
    split: str
    input: str
    expected: str
    output: str
    exact: bool
    error_types: list[str] = field(default_factory=list)
    # What the corrector refused on this case (original, proposed, reason); LM correctors only.
    rejected: list[dict] = field(default_factory=list)


@dataclass
class EvalReport:
    """Scores of one corrector on one suite: overall, per category and subcategory, speed, and cases."""

    model: str
    suite: str
    suite_source: str
    model_size: dict
    overall: dict
    by_category: dict[str, dict]
    by_subcategory: dict[str, dict]
    timing: dict
    cases: list[CaseResult]
    limit: int | None = None
    created: str = ""
    spelltune_version: str = ""
    # Recall and precision by the situation a word is in (evaluate/error_kinds.py); {} in older reports.
    by_error_kind: dict[str, dict] = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        """A plain dict, as written to report.json."""
        return asdict(self)

    @classmethod
    def from_json_dict(cls, data: dict) -> EvalReport:
        """The report a `to_json_dict` produced."""
        fields = dict(data)
        fields["cases"] = [CaseResult(**case) for case in data.get("cases", [])]
        return cls(**fields)

    def failures(self) -> list[CaseResult]:
        """Cases whose output is not the expected sentence, worst first (largest edit distance)."""
        from rapidfuzz.distance import Levenshtein

        failed = [case for case in self.cases if not case.exact]
        return sorted(failed, key=lambda case: -Levenshtein.distance(case.output, case.expected))


def write_report(report: EvalReport, out_dir: Path, *, worst: int = 20) -> tuple[Path, Path]:
    """Write report.json and report.md into `out_dir` (created if needed); return both paths."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the output folder {out_dir}: {error.strerror}") from None
    json_path, md_path = out_dir / REPORT_JSON, out_dir / REPORT_MD
    write_json(json_path, report.to_json_dict(), indent=1)  # a killed run leaves the old report or the new one
    write_text(md_path, render_markdown(report, worst=worst))
    return json_path, md_path


def read_report(path: Path) -> EvalReport:
    """Read a report.json, given the file or the folder holding it."""
    path = Path(path)
    if path.is_dir():
        path = path / REPORT_JSON
    if not path.is_file():
        raise InputError(f"{path} is missing: give folders written by `spelltune eval --out DIR`")
    try:
        return EvalReport.from_json_dict(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, TypeError, KeyError) as error:
        raise DataFormatError(f"{path}: not a spelltune eval report ({error})") from None


def format_value(value, kind: str) -> str:
    """A metric as a table cell: percentages with one decimal, '—' for undefined."""
    if value is None:
        return "—"
    if kind == "pct":
        return f"{100 * value:.1f}"
    if kind == "int":
        return str(int(value))
    return f"{value:.1f}"


def metrics_table(rows: dict[str, dict], first_header: str) -> str:
    """A Markdown table: one row per key of `rows`, the columns of TABLE_COLUMNS."""
    header = [first_header] + [title for _, title, _ in TABLE_COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, metrics in rows.items():
        cells = [format_value(metrics.get(key), kind) for key, _, kind in TABLE_COLUMNS]
        lines.append("| " + " | ".join([name] + cells) + " |")
    return "\n".join(lines)


def error_kind_table(by_kind: dict[str, dict]) -> str:
    """A markdown table of `EvalReport.by_error_kind`: errors, fixed, recall, changes, right, precision."""

    rows = ["| kind | errors | fixed | recall | changes | right | precision |", "|---|---|---|---|---|---|---|"]
    for name, score in by_kind.items():
        rows.append(f"| {name} | {score['errors']} | {score['fixed']} | {format_value(score['recall'], 'pct')} | "
                    f"{score['changes']} | {score['right_changes']} | {format_value(score['precision'], 'pct')} |")
    return "\n".join(rows)


def render_markdown(report: EvalReport, *, worst: int = 20) -> str:
    """report.md: overall and per-category tables, speed, and the worst failures."""
    timing = report.timing
    lines = [
        f"# {report.model} on {report.suite}",
        "",
        f"- suite: {report.suite_source} ({report.overall['sentences']} sentences"
        + (f", first {report.limit}" if report.limit else "")
        + ")",
        f"- model size: {report.model_size.get('label', '?')}",
        f"- speed: {timing['sentences_per_second']:.2f} sentences/s, "
        f"latency {timing['latency_ms_mean']:.1f} ms/sentence mean "
        f"(p50 {timing['latency_ms_p50']:.1f}, p95 {timing['latency_ms_p95']:.1f}; batch {timing['batch_size']}), "
        f"{timing['seconds']:.1f} s total",
        "",
        "Percentages except chrF/BLEU (0–100) and `broken` (a count). `exact` is strict sentence exact match,",
        "the primary score; similarity scores (CER … edit sim.) are high even for a do-nothing corrector.",
        "",
        "## Overall",
        "",
        metrics_table({"all": report.overall}, "suite"),
        "",
        "## By category",
        "",
        metrics_table(report.by_category, "category"),
        "",
    ]
    if len(report.by_subcategory) > len(report.by_category):
        lines += ["## By subcategory", "", metrics_table(report.by_subcategory, "subcategory"), ""]
    if report.by_error_kind:
        lines += ["## By error kind", "",
                  "Recall: wrong input words of the kind set right. Precision: changes to words of the kind that",
                  "gave the expected word (evaluate/error_kinds.py says what each kind is).", "",
                  error_kind_table(report.by_error_kind), ""]
    failures = report.failures()
    lines += [f"## Worst failures ({min(worst, len(failures))} of {len(failures)})", ""]
    for case in failures[:worst]:
        lines += [
            f"- `{case.id}` ({case.category}{'/' + case.subcategory if case.subcategory else ''})",
            f"  - input:    {case.input}",
            f"  - expected: {case.expected}",
            f"  - output:   {case.output}",
        ]
    return "\n".join(lines) + "\n"
