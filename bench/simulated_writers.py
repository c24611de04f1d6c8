"""Simulated writers at the editor: do wrong suggestions fall, and corrections rise, as the corrector learns?

    .venv/bin/python bench/simulated_writers.py [--writers 4] [--sessions 5] [--sentences-per-session 20]
        [--model default] [--modes none,immediate] [--out bench/results/simulated_writers]

Builds `--writers` writers (seeded) from real misspelling corpora (`--corpora`, Mitton .dat files in
../shared/data/mitton by default): each a fixed set of words they misspell one way, a tendency
(mirror letters, dropped doubles, swapped letters, neighbour keys) and names they use
(spelltune/evaluate/simulated_writers.py). Each writes `--sessions` sessions of clean sentences (the
embedded everyday-English corpus, or `--sentences FILE`) with those habits; the simulated editor checks
each sentence through the server's path, accepts right suggestions, rejects wrong ones and adds their
names to their personal dictionary (spelltune/evaluate/simulated_editing.py). Modes: `none`, `immediate`
(serve/learning.py), `adapt` (immediate plus `spelltune adapt` between sessions, when it is available).

Per session and mode: errors corrected, wrong suggestions shown, errors missed. Writes `<out>.json`,
`<out>.md` (the table, printed too) and `<out>.png` (wrong suggestions per session per mode). The JSON
records how many lines the model ran and the wall time; a line the `none` mode already checked with no
preferences is not checked again.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_CORPORA = [SHARED_DATA / "mitton" / name for name in ("missp.dat", "holbrook-missp.dat", "wikipedia.dat",
                                                               "aspell.dat")]


class RememberingCorrector:
    """A corrector that answers a line it has seen with the same preferences from memory (modes share it)."""

    def __init__(self, corrector):
        self.inner, self.name = corrector, corrector.name
        self.takes_preferences = getattr(corrector, "takes_preferences", False)
        self.memory: dict = {}
        self.lines_run = 0

    def correct_lines(self, lines: list[str], preferences=None) -> list:
        """The inner corrector's answers, each line run at most once per set of preferences."""
        from spelltune.correct.preferences import SpellingPreferences

        wanted = [SpellingPreferences.of(item) for item in preferences] if preferences else \
            [SpellingPreferences.of(None)] * len(lines)
        missing = [(line, w) for line, w in dict.fromkeys(zip(lines, wanted)) if (line, w) not in self.memory]
        if missing:
            self.lines_run += len(missing)
            if self.takes_preferences:
                answers = self.inner.correct_lines([line for line, _ in missing], preferences=[w for _, w in missing])
            else:
                answers = self.inner.correct_lines([line for line, _ in missing])
            self.memory.update(zip(missing, answers))
        return [self.memory[(line, w)] for line, w in zip(lines, wanted)]


def load_habit_candidates(corpora: list[Path], sentences: list[str]) -> dict[str, list[str]]:
    """Words of the sentences with real misspellings in the corpora (misspellings no word list knows)."""
    from spelltune.correct.dictionary import known_words
    from spelltune.data.sources import load_mitton_dat
    from spelltune.evaluate.simulated_writers import habit_candidates

    misspellings = [item for path in corpora for item in load_mitton_dat(path)]
    return habit_candidates(misspellings, sentences, known_words())


def load_sentences(path: Path | None) -> list[str]:
    """Clean sentences: a text/JSONL file or folder (`load_clean_sentences`), else the embedded corpus."""
    from spelltune.data.sources import load_clean_sentences, load_embedded_sentences

    found = load_clean_sentences(path) if path else load_embedded_sentences()
    return list(dict.fromkeys(item.text for item in found))


def adapt_hook(args: argparse.Namespace):
    """The hook the `adapt` mode calls between sessions: `spelltune adapt` on the writer's feedback so far."""
    try:
        from spelltune.train.adapt import adapt_hook_for_bench
    except ImportError:
        raise SystemExit("error: the adapt mode needs spelltune.train.adapt (`spelltune adapt`), which this "
                         "checkout does not have yet; run --modes none,immediate") from None
    return adapt_hook_for_bench(replay=args.replay, work_dir=args.out.parent / "adapted", model=args.model)


def run(args: argparse.Namespace) -> dict:
    """Every writer through every session under every mode; the report as plain data."""
    from spelltune.correct.load import load_corrector
    from spelltune.evaluate.simulated_editing import EditorSimulation, session_totals
    from spelltune.evaluate.simulated_writers import build_writers, session_sentences, write_sentence

    sentences = load_sentences(args.sentences)
    candidates = load_habit_candidates(args.corpora, sentences)
    writers = build_writers(args.writers, candidates, seed=args.seed, habits_per_writer=args.habits_per_writer)
    sessions = {}
    for writer in writers:
        rng = random.Random(f"written-{args.seed}-{writer.name}")
        sessions[writer.name] = [[write_sentence(writer, text, rng) for text in session]
                                 for session in session_sentences(writer, sentences, args.sessions,
                                                                  args.sentences_per_session, args.seed)]
    started = time.time()
    corrector = RememberingCorrector(load_corrector(args.model))
    hook = adapt_hook(args) if "adapt" in args.modes else None
    results = []
    with tempfile.TemporaryDirectory() as data_dir:
        for mode in args.modes:
            for writer in writers:
                simulation = EditorSimulation(writer, corrector, mode, Path(data_dir), adapt=hook,
                                              lines_per_check=args.lines_per_check)
                for number, session in enumerate(sessions[writer.name], 1):
                    results.append(simulation.run_session(number, session))
                    row = results[-1]
                    print(f"{mode:9} {writer.name} session {number}: corrected {row.corrected}/{row.errors}, "
                          f"wrong {row.wrong}, missed {row.missed}", file=sys.stderr, flush=True)
                if args.feedback_dir:
                    args.feedback_dir.mkdir(parents=True, exist_ok=True)
                    path = args.feedback_dir / f"{writer.name}-{mode}.jsonl"
                    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in simulation.feedback),
                                    encoding="utf-8")
    return {
        "config": {"model": args.model, "writers": args.writers, "sessions": args.sessions,
                   "sentences_per_session": args.sentences_per_session, "modes": args.modes, "seed": args.seed,
                   "habits_per_writer": args.habits_per_writer, "lines_per_check": args.lines_per_check,
                   "corpora": [str(p) for p in args.corpora], "sentences": str(args.sentences or "embedded everyday-en")},
        "seconds": round(time.time() - started, 1),
        "lines_run": corrector.lines_run,
        "writers": [writer.to_json_dict() for writer in writers],
        "totals": session_totals(results),
        "results": [result.to_json_dict() for result in results],
    }


def markdown_table(report: dict) -> str:
    """Per session, for each mode: corrected / errors, wrong suggestions shown, missed; then the change in
    wrong suggestions from the first session to the last."""
    modes = report["config"]["modes"]
    by_key = {(row["mode"], row["session"]): row for row in report["totals"]}
    header = "| session | " + " | ".join(f"{mode}: corrected | {mode}: wrong | {mode}: missed" for mode in modes) + " |"
    lines = [header, "|---|" + "---:|" * (3 * len(modes))]
    sessions = sorted({row["session"] for row in report["totals"]})
    for session in sessions:
        cells = []
        for mode in modes:
            row = by_key[(mode, session)]
            cells += [f"{row['corrected']}/{row['errors']}", str(row["wrong"]), str(row["missed"])]
        lines.append(f"| {session} | " + " | ".join(cells) + " |")
    lines.append("")
    for mode in modes:
        first, last = by_key[(mode, sessions[0])]["wrong"], by_key[(mode, sessions[-1])]["wrong"]
        change = f"{last / first:.2f}x" if first else "n/a"
        lines.append(f"- {mode}: wrong suggestions session {sessions[0]} -> {sessions[-1]}: {first} -> {last} ({change})")
    return "\n".join(lines) + "\n"


def plot(report: dict, path: Path) -> Path:
    """Wrong suggestions per session, one line per mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(6, 4))
    for mode in report["config"]["modes"]:
        rows = [row for row in report["totals"] if row["mode"] == mode]
        axis.plot([row["session"] for row in rows], [row["wrong"] for row in rows], marker="o", label=mode)
    axis.set_xlabel("session")
    axis.set_ylabel("wrong suggestions shown (all writers)")
    axis.set_title(f"{report['config']['writers']} simulated writers, {report['config']['model']}")
    axis.set_xticks(sorted({row["session"] for row in report["totals"]}))
    axis.set_ylim(bottom=0)
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--sentences-per-session", type=int, default=20)
    parser.add_argument("--model", default="default", help="a model spec or classic corrector (symspell, ...)")
    parser.add_argument("--modes", default="none,immediate", help="comma-separated: none, immediate, adapt")
    parser.add_argument("--corpora", type=Path, nargs="+", default=DEFAULT_CORPORA, help="Mitton .dat files")
    parser.add_argument("--sentences", type=Path, default=None, help="clean sentences (default: embedded corpus)")
    parser.add_argument("--habits-per-writer", type=int, default=30)
    parser.add_argument("--lines-per-check", type=int, default=1, help="sentences the writer checks at once")
    parser.add_argument("--replay", type=Path, default=None, help="adapt mode: general training data to replay")
    parser.add_argument("--feedback-dir", type=Path, default=None, help="write each writer's feedback JSONL here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("bench/results/simulated_writers"))
    args = parser.parse_args(argv)
    args.modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    from spelltune.evaluate.simulated_editing import MODES

    unknown = [mode for mode in args.modes if mode not in MODES]
    if unknown or not args.modes:
        parser.error(f"--modes: unknown {', '.join(unknown) or '(none given)'}; known: {', '.join(MODES)}")
    if min(args.writers, args.sessions, args.sentences_per_session, args.lines_per_check) < 1:
        parser.error("--writers, --sessions, --sentences-per-session and --lines-per-check must be at least 1")
    missing = [str(path) for path in args.corpora if not path.is_file()]
    if missing:
        parser.error(f"misspelling corpus not found: {', '.join(missing)} (see ../shared/data/README.md)")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its JSON, Markdown table and plot."""
    args = parse_args(argv)
    from spelltune.errors import SpelltuneError

    try:
        report = run(args)
    except SpelltuneError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = markdown_table(report)
    args.out.with_suffix(".md").write_text(table, encoding="utf-8")
    plot(report, args.out.with_suffix(".png"))
    print(table)
    print(f"wrote {args.out.with_suffix('.json')}, .md and .png ({report['seconds']} s, {report['lines_run']} lines run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
