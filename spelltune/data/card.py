"""card.md: a dataset card a person reads: sources, licenses, counts and examples."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from spelltune.atomic import write_text
from spelltune.data.config import CATEGORIES, DataConfig
from spelltune.data.sources.codespell import CODESPELL_LICENSE
from spelltune.data.sources.sentences import EMBEDDED_CORPORA
from spelltune.data.splits import SPLITS
from spelltune.data.types import CorrectionPair

CATEGORY_MEANINGS: dict[str, str] = {
    "pass_through": "clean text; output equals input (teaches the model to leave correct text alone)",
    "typo": "keyboard and letter slips: adjacent key, neighbour-key insertion, deletion, doubling, transposition",
    "homophone": "real-word swaps: their/there/they're, your/you're, its/it's, to/too/two, then/than, ...",
    "real_word": "a real word people write by mistake for another: form for from, gust for just, tow for two",
    "contraction": "missing apostrophes: dont, Im, shouldnt, theyre",
    "dyslexic": "mirror letters b/d, p/q, m/w, n/u and reversed letter order (was/saw)",
    "split_merge": "a space inside a word (sen tence) or missing between two (infront, alot)",
    "real_misspelling": "a misspelling people really wrote for the word (codespell, Birkbeck, TOEFL-Spell, ...)",
    "case": "case noise in cased text: i for I, paris for Paris, tHe, THe",
}

LICENSES: dict[str, str] = {
    "codespell": f"{CODESPELL_LICENSE} (codespell's dictionary.txt)",
    "toefl": "CC BY-SA 4.0 (TOEFL-Spell, ETS)",
    "mitton": "freely distributed for research; cite R. Mitton, Birkbeck spelling error corpus",
    "norvig": "unspecified (P. Norvig's test sets, drawn from Birkbeck)",
    "files": "the user's own text: the user's license",
    "feedback": "the user's own accepted corrections (spelltune serve's feedback log): the user's",
    "hf_disk": "see the dataset's own card",
    "hf_hub": "see the dataset's own card",
}


def _table(counts: Mapping[str, int], total: int, header: str) -> list[str]:
    lines = [f"| {header} | pairs | share |", "|---|---:|---:|"]
    lines += [f"| {k} | {v:,} | {v / max(total, 1):.1%} |" for k, v in counts.items()]
    return lines


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def write_card(
    config: DataConfig,
    stats: Mapping[str, object],
    pairs_by_split: Mapping[str, Sequence[CorrectionPair]],
    out_dir: Path,
) -> Path:
    """Write card.md into `out_dir` and return its path; nothing in it depends on the time."""
    total = int(stats["pairs"])  # type: ignore[arg-type]
    lines = ["# spelltune correction dataset", ""]
    lines += [
        "Pairs of text with errors (`input`) and its correction (`output`), one JSON object per line in",
        "`train.jsonl`, `validation.jsonl` and `test.jsonl`, with `category`, `source`",
        "(`<sentence source>|<error origin>`: `clean`, `synthetic` or the human misspelling corpus),",
        "`error_types` and `complexity` (simple = 1 error, medium = 2-3, complex = 4+, dense = a quarter of the words or more when drawn so).",
        f"Seed {config.seed}; the same config and seed give byte-identical files.",
        "",
        "## Sources and licenses",
        "",
        "| kind | source | license |",
        "|---|---|---|",
    ]
    for source in config.sentences:
        if source.kind == "embedded":
            name = source.name or "everyday-en"
            license_text = EMBEDDED_CORPORA.get(name, ("", "unknown"))[1]
        else:
            name, license_text = source.path or source.name or "", LICENSES[source.kind]
        lines.append(f"| sentences ({source.kind}) | {name} | {license_text} |")
    for source in config.misspellings:
        lines.append(f"| misspellings ({source.kind}) | {source.path or ('installed codespell' if source.kind == 'codespell' else 'default log')} | {LICENSES[source.kind]} |")
    lines += ["| synthetic errors | spelltune.data.corruption | Apache-2.0 |", ""]
    lines += ["## Splits and leakage", ""]
    lines += [f"- {s}: {stats['pairs_by_split'][s]:,} pairs from {stats['sentences_by_split'][s]:,} distinct sentences"  # type: ignore[index]
              for s in SPLITS]
    lines += [
        "- No clean sentence (compared casefolded) appears in two splits.",
        f"- {stats['heldout_words']} held-out words (`heldout_words.txt`) are never corrupted in train;",
        f"  {stats['eval_pairs_with_heldout_words']} validation/test pairs contain them.",
        f"- {stats['lowercase_pairs']:,} pairs are fully lowercase on both sides (learner-style text).",
        f"- {stats.get('pass_through_with_confusable_word', 0):,} unchanged pairs hold a confusable word used rightly"
        " (their, where, from): text the model must leave as written.",
        "- `spelltune data check DIR` verifies both properties.",
        "",
        "## Categories",
        "",
    ]
    lines += [f"- `{c}`: {CATEGORY_MEANINGS[c]}" for c in CATEGORIES]
    lines += [""] + _table(stats["by_category"], total, "category") + [""]  # type: ignore[arg-type]
    lines += _table(stats["by_error_type"], total, "error type") + [""]  # type: ignore[arg-type]
    lines += _table(stats["by_complexity"], total, "complexity") + [""]  # type: ignore[arg-type]
    lines += _table(stats["by_source"], total, "source") + [""]  # type: ignore[arg-type]
    lines += ["![category mix](category_mix.png)", "", "![length distribution](length_distribution.png)", ""]
    lines += ["## Examples (train)", "", "| category | input | output |", "|---|---|---|"]
    for category in CATEGORIES:
        shown = [p for p in pairs_by_split["train"] if p.category == category][:3]
        lines += [f"| {category} | {_escape(p.input)} | {_escape(p.output)} |" for p in shown]
    path = out_dir / "card.md"
    write_text(path, "\n".join(lines) + "\n")
    return path
