"""The sorting of what a corrector left wrong into kinds (scripts/dense_misses.py)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "dense_misses.py"
spec = importlib.util.spec_from_file_location("dense_misses", SCRIPT)
dense_misses = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dense_misses)


def test_each_miss_gets_the_kind_that_explains_it():
    kind = dense_misses.miss_kind
    assert kind("studuent", "Student", "student", True) == "case only, sentence start"
    assert kind("comopany", "Company", "company", False) == "case only, inside a sentence"
    assert kind("wish", "with", "wish", False) == "real word"
    assert kind("fínger", "finger", "fínger", False) == "kept as written, accents only"
    assert kind("zaif", "said", "zaif", False) == "kept as written"
    assert kind("adout", "about", "out", False) == "changed to another wrong word"


def test_a_report_is_counted_by_kind_and_a_record_without_cases_is_refused(tmp_path):
    cases = [{"input": "He left. chewinb an hē spoke", "expected": "He left. Chewing as he spoke",
              "output": "He left. chewing an hē spoke"},
             {"input": "a b c", "expected": "a b", "output": "a b"}]  # another word count: skipped
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"cases": cases}), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), str(report)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "3 wrong words left wrong (1 lines of another word count skipped)" in run.stdout
    assert "1  case only, sentence start: chewinb -> chewing (meant Chewing)" in run.stdout
    assert "1  real word: an -> an (meant as)" in run.stdout
    assert "1  kept as written, accents only" in run.stdout
    record = tmp_path / "record.json"
    record.write_text(json.dumps({"overall": {}}), encoding="utf-8")
    refused = subprocess.run([sys.executable, str(SCRIPT), str(record)], capture_output=True, text=True)
    assert refused.returncode != 0 and "has no cases" in refused.stderr and "Traceback" not in refused.stderr
    missing = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path / "none.json")], capture_output=True, text=True)
    assert missing.returncode != 0 and "cannot read" in missing.stderr and "Traceback" not in missing.stderr
