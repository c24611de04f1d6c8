"""Sweep second-pass settings on DEV data through the real corrector: how exact match, broken words and
pass-through precision move.

Every grid point builds the corrector with `load_corrector` and `--set` style overrides (the same code
`spelltune fix` and `eval` run) and corrects every dev sentence. The model's generations and scores do
not depend on the swept settings, so the engine's `generate` and `score_many` are memoised (and cached
on disk in `--out`): the first point costs a full run, the others only the decisions. Dev suites only:
choose settings here, report on the test halves (`own:test`, `neuspell-bea322:test`).

    python scripts/rescore_sweep.py --suite own:dev --suite ../shared/data/neuspell-bea322:dev \
        --grid rescore.confusion_margin=0,0.5,1,1.5,2,3,4,6 --out runs/rescore-sweep/margin
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path


class MemoisedEngine:
    """Wraps an engine's `generate`, `score_many` and `score_bounds` with a cache keyed by their inputs
    (saved as JSON)."""

    def __init__(self, engine, cache_path: Path):
        self.engine, self.cache_path = engine, cache_path
        cached = json.loads(cache_path.read_text()) if cache_path.exists() else {}
        self.generations: dict[str, str] = cached.get("generations", {})
        self.scores: dict[str, float] = cached.get("scores", {})
        self.bounds: dict[str, list] = cached.get("bounds", {})
        self._generate, self._score_many, self._score_bounds = engine.generate, engine.score_many, engine.score_bounds
        engine.generate, engine.score_many, engine.score_bounds = self.generate, self.score_many, self.score_bounds

    def generate(self, prompts, max_new_tokens, *, batch_size=16, on_progress=None):
        """Generations from the cache, the missing ones from the engine."""
        budgets = [max_new_tokens] * len(prompts) if isinstance(max_new_tokens, int) else list(max_new_tokens)
        keys = [json.dumps([p, b]) for p, b in zip(prompts, budgets)]
        missing = [i for i, key in enumerate(keys) if key not in self.generations]
        if missing:
            made = self._generate([prompts[i] for i in missing], [budgets[i] for i in missing], batch_size=batch_size)
            self.generations.update({keys[i]: text for i, text in zip(missing, made)})
        return [self.generations[key] for key in keys]

    def score_many(self, requests):
        """Scores from the cache, the missing (prefix, continuation) pairs from the engine."""
        todo: dict[str, list[str]] = {}
        for prefix, continuations in requests:
            for text in continuations:
                if json.dumps([prefix, text]) not in self.scores:
                    todo.setdefault(prefix, []).append(text)
        if todo:
            items = list(todo.items())
            for (prefix, texts), scored in zip(items, self._score_many(items)):
                self.scores.update({json.dumps([prefix, t]): s for t, s in zip(texts, scored)})
        return [[self.scores[json.dumps([prefix, t])] for t in continuations] for prefix, continuations in requests]

    def score_bounds(self, requests):
        """Bounds from the cache, the missing requests' from the engine."""
        from spelltune.engine.bounds import ScoreBound

        keys = [json.dumps([prefix, list(continuations)]) for prefix, continuations in requests]
        missing = [i for i, key in enumerate(keys) if key not in self.bounds]
        if missing:
            found = self._score_bounds([requests[i] for i in missing])
            self.bounds.update({keys[i]: [[b.value, b.exact] for b in row] for i, row in zip(missing, found)})
        return [[ScoreBound(value, exact) for value, exact in self.bounds[key]] for key in keys]

    def save(self) -> None:
        """Write the cache to disk."""
        self.cache_path.write_text(json.dumps({"generations": self.generations, "scores": self.scores,
                                               "bounds": self.bounds}))


def has_confusable(text: str) -> bool:
    """Whether a sentence holds a word of a confusion set (their, its, form, to, …)."""
    from spelltune.correct.confusion import confusion_partners
    from spelltune.correct.edge_punctuation import strip_edge_punctuation

    return any(confusion_partners(strip_edge_punctuation(word)) for word in text.split() if len(word) > 1)


def score_point(outputs_by_suite: dict, suites: dict) -> dict:
    """Exact match and broken words per suite; precision on correct sentences with a confusable word."""
    from spelltune.evaluate.metrics import exact_match, word_counts

    row, kept, total = {}, 0, 0
    for name, suite in suites.items():
        outputs = outputs_by_suite[name]
        sources, expected = [c.input for c in suite.cases], [c.expected for c in suite.cases]
        row[f"{name} exact %"] = 100 * exact_match(outputs, expected)
        row[f"{name} broken"] = word_counts(sources, expected, outputs).broken
        for category in ("real_word", "contractions", "must_not_change", "meaning_traps"):
            group = [o == c.expected for o, c in zip(outputs, suite.cases) if c.category == category]
            if group:
                row[f"{name} {category} %"] = 100 * sum(group) / len(group)
        for case, output in zip(suite.cases, outputs):
            if case.input == case.expected and has_confusable(case.input):
                total += 1
                kept += output == case.input
    row["confusable pass-through kept"] = f"{kept}/{total}"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--suite", action="append", required=True, help="a dev suite (own:dev, BEA-322:dev); repeat")
    parser.add_argument("--grid", action="append", required=True, help="key=v1,v2,... of the corrector config; repeat")
    parser.add_argument("--config", type=Path, default=None, help="corrector YAML the grid overrides")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    from tqdm import tqdm

    from spelltune.correct.config import load_corrector_config
    from spelltune.correct.load import cached_engine, load_corrector
    from spelltune.evaluate.suites import load_suite

    for name in args.suite:
        if not name.endswith(":dev") and name != "own-dev":
            parser.error(f"{name}: sweep on dev halves only (append :dev)")
    suites = {name: load_suite(name) for name in args.suite}
    axes = [(key, values.split(",")) for key, values in (item.split("=", 1) for item in args.grid)]
    args.out.mkdir(parents=True, exist_ok=True)
    base = load_corrector_config(args.config)
    settings = base.engine
    memo = MemoisedEngine(cached_engine(args.model, settings.name, settings.device, settings.dtype,
                                        settings.compute_type, settings.trust_remote_code),
                          args.out / "engine-cache.json")
    rows = []
    for point in itertools.product(*[[(key, value) for value in values] for key, values in axes]):
        overrides = [f"{key}={value}" for key, value in point]
        corrector = load_corrector(args.model, load_corrector_config(args.config, overrides))
        outputs = {}
        for name, suite in suites.items():
            corrections = []
            for first in tqdm(range(0, len(suite.cases), 16), desc=f"{' '.join(overrides)} {name}", unit="batch"):
                corrections += corrector.correct_lines([c.input for c in suite.cases[first : first + 16]])
            outputs[name] = [c.output for c in corrections]
        memo.save()
        rows.append({**dict(point), **score_point(outputs, suites)})
        (args.out / f"outputs-{'-'.join(v for _, v in point)}.json").write_text(json.dumps(outputs, indent=1))
    columns = list(rows[0])
    table = "\n".join(["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
                      + ["| " + " | ".join(f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c])
                                           for c in columns) + " |" for row in rows])
    (args.out / "sweep.md").write_text(f"# Second-pass sweep on {', '.join(args.suite)} ({args.model})\n\n{table}\n")
    (args.out / "sweep.json").write_text(json.dumps(rows, indent=1))
    print(table)


if __name__ == "__main__":
    main()
