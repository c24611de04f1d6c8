"""PNG plots of a built dataset: the category mix per split and the sentence length distribution."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from spelltune.data.config import CATEGORIES
from spelltune.data.splits import SPLITS
from spelltune.data.types import CorrectionPair

# No software version or date in the files, so builds stay byte-identical.
_PNG_METADATA = {"Software": None}


def write_plots(pairs_by_split: Mapping[str, Sequence[CorrectionPair]], out_dir: Path) -> list[Path]:
    """Write category_mix.png and length_distribution.png into `out_dir`; return their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    figure, axes = plt.subplots(figsize=(9, 4.5))
    bottom = [0] * len(CATEGORIES)
    for split in SPLITS:
        counts = [sum(p.category == c for p in pairs_by_split[split]) for c in CATEGORIES]
        axes.bar(CATEGORIES, counts, bottom=bottom, label=split)
        bottom = [b + c for b, c in zip(bottom, counts)]
    axes.set_ylabel("pairs")
    axes.set_title("Pairs per category and split")
    axes.legend()
    axes.tick_params(axis="x", labelrotation=30)
    figure.tight_layout()
    paths.append(out_dir / "category_mix.png")
    figure.savefig(paths[-1], dpi=100, metadata=_PNG_METADATA)
    plt.close(figure)

    figure, axes = plt.subplots(figsize=(8, 4.5))
    lengths = [len(p.output.split()) for split in SPLITS for p in pairs_by_split[split]]
    axes.hist(lengths, bins=range(0, max(lengths, default=1) + 2), color="#4c72b0")
    axes.set_xlabel("words in the corrected sentence")
    axes.set_ylabel("pairs")
    axes.set_title("Sentence length distribution")
    figure.tight_layout()
    paths.append(out_dir / "length_distribution.png")
    figure.savefig(paths[-1], dpi=100, metadata=_PNG_METADATA)
    plt.close(figure)
    return paths
