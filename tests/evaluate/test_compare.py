"""`compare` over report folders: table, JSON, error analysis, and valid PNG plots."""

import json

import pytest

from spelltune.correct.load import load_corrector
from spelltune.errors import InputError
from spelltune.evaluate.compare import compare_reports
from spelltune.evaluate.report import read_report, write_report
from spelltune.evaluate.run import evaluate_corrector
from spelltune.evaluate.suites import load_suite


@pytest.fixture(scope="module")
def report_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    suite = load_suite("own", limit=60)
    for name in ("identity", "symspell"):
        report = evaluate_corrector(load_corrector(name), suite, progress=False)
        write_report(report, root / name)
    return root


def test_report_round_trips_and_markdown_lists_failures(report_dirs):
    report = read_report(report_dirs / "symspell")
    assert report.model == "symspell" and len(report.cases) == 60
    markdown = (report_dirs / "symspell" / "report.md").read_text(encoding="utf-8")
    assert "## By category" in markdown and "| pass_through |" in markdown
    assert "## Worst failures" in markdown and "  - expected: " in markdown


def test_compare_writes_table_json_and_plots(report_dirs, tmp_path):
    comparison = compare_reports([report_dirs / "identity", report_dirs / "symspell"], tmp_path / "cmp")
    table_rows = [line for line in comparison.markdown.splitlines() if line.startswith("| identity |")]
    assert table_rows and "| 100.0 |" in table_rows[0]  # identity keeps pass-through at 100%
    assert "| symspell |" in comparison.markdown
    assert "# Error analysis" in comparison.markdown and "| transposition |" in comparison.markdown
    summary = json.loads(comparison.json_path.read_text(encoding="utf-8"))
    assert [entry["model"] for entry in summary] == ["identity", "symspell"]
    assert len(comparison.plots) == 3
    for plot in comparison.plots:
        data = plot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, plot


def test_compare_finds_reports_in_a_parent_folder(report_dirs, tmp_path):
    comparison = compare_reports([report_dirs], tmp_path / "cmp")
    assert "| identity |" in comparison.markdown and "| symspell |" in comparison.markdown


def test_compare_without_reports_is_a_user_error(tmp_path):
    with pytest.raises(InputError, match="no report.json"):
        compare_reports([tmp_path], tmp_path / "cmp")
    with pytest.raises(InputError, match="does not exist"):
        compare_reports([tmp_path / "missing"], tmp_path / "cmp")


def test_one_corrector_with_two_settings_keeps_a_row_and_an_error_analysis_each(report_dirs, tmp_path):
    for folder, name in (("before", "identity"), ("after", "symspell")):
        report = read_report(report_dirs / name)
        report.model = "default"  # the same model name, as two settings of one corrector write it
        write_report(report, tmp_path / folder)
    comparison = compare_reports([tmp_path / "before", tmp_path / "after"], tmp_path / "cmp")
    rows = {line.split(" | ")[0]: line for line in comparison.markdown.splitlines() if line.startswith("| before |")
            or line.startswith("| after |")}
    assert set(rows) == {"| before", "| after"} and "| 100.0 |" in rows["| before"]  # identity's pass-through
    transposition = next(line for line in comparison.markdown.splitlines() if line.startswith("| transposition |"))
    before_fixed, after_fixed = transposition.strip(" |").split(" | ")[2:4]
    assert before_fixed == "0%" and after_fixed != "0%"  # each column from its own report, not the last one read
    summary = json.loads(comparison.json_path.read_text(encoding="utf-8"))
    assert [(entry["model"], entry["label"]) for entry in summary] == [("default", "before"), ("default", "after")]
