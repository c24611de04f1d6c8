"""The CI baseline runs: identity, symspell and pyspellchecker on BEA-322 and on the own suite."""

import pytest

from spelltune.correct.corrector import Correction
from spelltune.correct.load import load_corrector
from spelltune.evaluate.run import evaluate_corrector
from spelltune.evaluate.suites import Suite, load_suite

BASELINES = ("identity", "symspell", "pyspellchecker")


@pytest.fixture(scope="module")
def correctors():
    return {name: load_corrector(name) for name in BASELINES}


@pytest.fixture(scope="module")
def bea_reports(correctors, bea322_dir):
    suite = load_suite(str(bea322_dir))
    return suite, {name: evaluate_corrector(c, suite, progress=False) for name, c in correctors.items()}


@pytest.fixture(scope="module")
def own_reports(correctors):
    suite = load_suite("own")
    return suite, {name: evaluate_corrector(c, suite, progress=False) for name, c in correctors.items()}


def test_identity_exact_match_on_bea322_is_the_share_of_unchanged_lines(bea_reports):
    suite, reports = bea_reports
    unchanged = sum(case.input == case.expected for case in suite.cases) / len(suite.cases)
    identity = reports["identity"]
    assert identity.overall["exact_match"] == pytest.approx(unchanged)
    assert identity.overall["word_correction_rate"] == 0.0 and identity.overall["words_broken"] == 0
    # The similarity scores a do-nothing corrector nearly maxes out: why exact match is primary.
    assert identity.overall["edit_similarity"] > 0.95 and identity.overall["chrf"] > 90


def test_classic_checkers_beat_identity_on_bea322(bea_reports):
    _, reports = bea_reports
    for name in ("symspell", "pyspellchecker"):
        overall = reports[name].overall
        assert overall["word_correction_rate"] > 0.2, name
        assert overall["exact_match"] > reports["identity"].overall["exact_match"] + 0.15, name
        assert overall["words_broken_rate"] < 0.02, name


def test_own_suite_pass_through_keeps_identity_perfect(own_reports):
    suite, reports = own_reports
    identity = reports["identity"]
    assert identity.by_category["pass_through"]["exact_match"] == 1.0
    unchanged = sum(case.input == case.expected for case in suite.cases) / len(suite.cases)
    assert identity.overall["exact_match"] == pytest.approx(unchanged)
    assert set(identity.by_category) == set(suite.categories())


def test_classic_checkers_on_own_suite(own_reports):
    _, reports = own_reports
    for name in ("symspell", "pyspellchecker"):
        report = reports[name]
        assert report.overall["word_correction_rate"] > reports["identity"].overall["word_correction_rate"] + 0.3
        # Dictionary checkers cannot tell real-word errors apart, nor keep unknown names.
        assert report.by_subcategory["known_corrections/homophones"]["exact_match"] < 0.2, name
        assert report.by_category["pass_through"]["words_broken"] > 0, name


def test_report_records_every_case_and_the_model_size(own_reports):
    suite, reports = own_reports
    report = reports["symspell"]
    assert len(report.cases) == len(suite.cases)
    assert report.model_size["parameters"] > 50_000


class _ClockedCorrector:
    """Echoes its lines; each batch moves a fake clock on by the next of `batch_seconds`."""

    name = "clocked"

    def __init__(self, clock: list[float], batch_seconds: list[float]):
        self.clock, self.batch_seconds = clock, list(batch_seconds)

    def correct_lines(self, lines):
        self.clock[0] += self.batch_seconds.pop(0)
        return [Correction(input=line, output=line) for line in lines]


def test_timing_shares_each_batch_time_among_its_sentences(monkeypatch):
    from spelltune.evaluate import run

    clock = [100.0]
    monkeypatch.setattr(run.time, "perf_counter", lambda: clock[0])
    suite = load_suite("own", limit=10)
    # Batches of 4, 4 and 2 sentences taking 0.4 s, 0.8 s and 2 s: 100, 200 and 1000 ms a sentence.
    report = evaluate_corrector(_ClockedCorrector(clock, [0.4, 0.8, 2.0]), suite, batch_size=4, progress=False)
    timing = report.timing
    assert timing["seconds"] == pytest.approx(3.2)
    assert timing["sentences_per_second"] == pytest.approx(10 / 3.2)
    assert timing["latency_ms_mean"] == pytest.approx(320)
    assert timing["latency_ms_p50"] == pytest.approx(200)
    assert timing["latency_ms_p95"] == pytest.approx(1000)


class _DroppingCorrector:
    name = "dropping"

    def correct_lines(self, lines):
        return [Correction(input=line, output=line) for line in lines[:-1]]


def test_a_corrector_that_drops_lines_is_caught():
    suite = load_suite("own", limit=3)
    with pytest.raises(RuntimeError, match="2 corrections for 3 lines"):
        evaluate_corrector(_DroppingCorrector(), suite, progress=False)


def test_limit_and_batching_do_not_change_outputs(correctors):
    suite = load_suite("own")
    small = evaluate_corrector(correctors["symspell"], suite, 20, batch_size=3, progress=False)
    large = evaluate_corrector(correctors["symspell"], Suite("own", "x", suite.cases[:20]), batch_size=64, progress=False)
    assert [c.output for c in small.cases] == [c.output for c in large.cases]
    assert small.overall["sentences"] == 20


class _RefusingCorrector:
    name = "refusing"

    def correct_lines(self, lines):
        from spelltune.correct.corrector import Rejection

        return [Correction(input=line, output=line, rejected=[Rejection("was", "is", "changes tense", 0, 3)])
                for line in lines]


def test_report_cases_record_what_the_corrector_refused(tmp_path):
    from spelltune.evaluate.report import read_report, write_report
    from spelltune.evaluate.suites import EvalCase

    suite = Suite("s", "test", [EvalCase("1", "was here", "was here", "c"), EvalCase("2", "was there", "was there", "c")])
    report = evaluate_corrector(_RefusingCorrector(), suite, progress=False, model_size={})
    assert report.cases[1].rejected == [{"original": "was", "proposed": "is", "reason": "changes tense"}]
    write_report(report, tmp_path)
    assert read_report(tmp_path / "report.json").cases[0].rejected == report.cases[0].rejected
