"""`spelltune spelling tokens -> build -> eval -> report` end to end on the tiny model; bad input is one line, exit 2."""

import json

import pytest


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, smollm2_tokenizer_dir, tiny_model_dir, dwyl_words):
    """Run the whole CLI pipeline once in a subprocess-free way; return the folder and the outputs."""
    from typer.testing import CliRunner

    from spelltune.cli import app

    runner = CliRunner()
    root = tmp_path_factory.mktemp("spelling-cli")
    results = {}
    results["tokens"] = runner.invoke(app, ["spelling", "tokens", "--tokenizer", str(tiny_model_dir),
                                            "--out", str(root / "tokens.json")])
    results["build"] = runner.invoke(app, [
        "spelling", "build", "--out", str(root / "data"), "--tokens", str(root / "tokens.json"),
        "--tokenizer", str(tiny_model_dir), "--words", str(dwyl_words),
        "--set", "train_examples=120", "--set", "validation_per_type=5", "--set", "test_per_type=10"])
    results["eval"] = runner.invoke(app, [
        "spelling", "eval", "--model", str(tiny_model_dir), "--data", str(root / "data"), "--out", str(root / "eval"),
        "--per-type", "6", "--spell-words", "3", "--batch-size", "4"])
    results["report"] = runner.invoke(app, ["spelling", "report", str(root / "eval"), str(root / "eval"),
                                            "--out", str(root / "report")])
    return root, results


def test_pipeline_runs_end_to_end(pipeline):
    root, results = pipeline
    for step, result in results.items():
        assert result.exit_code == 0, f"{step}: {result.output}"
    assert json.loads((root / "tokens.json").read_text())["count"] >= 5000
    assert "120 train spelling examples" in results["build"].output
    summary = json.loads((root / "eval" / "summary.json").read_text())
    assert summary["accuracy"]["count"]["n"] == 6 and summary["accuracy"]["position"]["n"] == 6
    assert summary["spelling"]["character_accuracy"]["n"] == 3
    assert summary["answer_perplexity"] > 1
    predictions = (root / "eval" / "predictions.jsonl").read_text().splitlines()
    assert len(predictions) == 15
    report = (root / "report" / "report.md").read_text()
    assert "letter count" in report and "+0.0% [+0.0%, +0.0%]" in report
    assert (root / "report" / "dashboard.png").stat().st_size > 10_000


@pytest.mark.parametrize("args,message", [
    (["spelling", "build", "--out", "{tmp}/d", "--set", "nonsense=1"], "unknown key"),
    (["spelling", "build", "--out", "{tmp}/d", "--tokens", "{tmp}/missing.json"], "no such tokens file"),
    (["spelling", "build", "--out", "{tmp}/d", "--words", "{tmp}/missing.txt", "--tokenizer", "{tok}"],
     "cannot read word list"),
    (["spelling", "tokens", "--tokenizer", "{tmp}", "--out", "{tmp}/t.json"], "holds no model"),
    (["spelling", "eval", "--model", "{tok}", "--data", "{tmp}", "--out", "{tmp}/e"], "no such question file"),
    (["spelling", "eval", "--model", "{tok}", "--data", "{tmp}", "--out", "{tmp}/e", "--split", "train"],
     "use validation or test"),
    (["spelling", "report", "{tmp}", "--out", "{tmp}/r"], "not an eval folder"),
])
def test_bad_input_is_one_line_and_exit_2(run_cli, tmp_path, smollm2_tokenizer_dir, args, message):
    filled = [a.format(tmp=tmp_path, tok=smollm2_tokenizer_dir) for a in args]
    result = run_cli(filled)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    # Progress lines may come first; the failure itself is one line, and the last.
    assert [line for line in lines if line.startswith("error:")] == [lines[-1]], result.stderr
    assert message in lines[-1] and "Traceback" not in result.stderr
