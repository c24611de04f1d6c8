"""Writes everyday_en.txt, the embedded clean corpus, from the hand-written clauses in clauses.yaml.

Deterministic: `python -m spelltune.data.corpus.generate_everyday` always writes the same file (a
test checks the shipped file matches). Sentences combine clauses with openers and connectors, so
homophones and contractions appear in many different contexts. License: Apache-2.0 (the project's).
"""

from __future__ import annotations

import random
from pathlib import Path

from spelltune.data.corpus.clauses import CLAUSES, CONNECTORS, OPENERS, STANDALONE

CORPUS_FILE = Path(__file__).with_name("everyday_en.txt")
SEED = 20240611
COMBINED_SENTENCES = 7000


def _sentence_case(clause: str) -> str:
    return clause[:1].upper() + clause[1:]


def _end(clause: str) -> str:
    starts_question = clause.split(" ", 1)[0] in {"where", "whose", "what", "what's", "who's", "are"}
    return clause + ("?" if starts_question else ".")


def _is_question(clause: str) -> bool:
    return _end(clause).endswith("?")


def generate_sentences(seed: int = SEED, combined: int = COMBINED_SENTENCES) -> list[str]:
    """Every standalone sentence, every clause as a sentence, then `combined` distinct sentences
    made of an opener and a clause or of two clauses joined by a connector, in a seeded order."""
    rng = random.Random(seed)
    sentences: list[str] = list(STANDALONE) + [_sentence_case(_end(c)) for c in CLAUSES]
    statements = [c for c in CLAUSES if not _is_question(c)]
    seen = set(sentences)
    attempts = 0
    while len(sentences) < len(STANDALONE) + len(CLAUSES) + combined and attempts < combined * 20:
        attempts += 1
        if rng.random() < 0.2:
            sentence = f"{rng.choice(OPENERS)}, {_end(rng.choice(statements))}"
        else:
            first, second = rng.sample(statements, 2)
            connector = rng.choice(CONNECTORS)
            if connector in ("because", "although", "while") and rng.random() < 0.3:
                sentence = _sentence_case(f"{connector} {first}, {_end(second)}")
            else:
                sentence = _sentence_case(f"{first}, {connector} {_end(second)}")
        if sentence not in seen:
            seen.add(sentence)
            sentences.append(sentence)
    return sentences


def main() -> None:
    """Write the corpus file, one sentence per line."""
    sentences = generate_sentences()
    CORPUS_FILE.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    print(f"wrote {len(sentences)} sentences to {CORPUS_FILE}")


if __name__ == "__main__":
    main()
