"""spelltune: a small open language model as a private, local typo and spelling corrector.

Pipeline stages live in sub-packages: `data`, `train`, `evaluate`, `export`, `serve`, `spelling`.
Shared pieces: `models` (model specs), `prompt` (the one prompt format), `correct` (the corrector and its guard).
"""

__version__ = "0.1.0"

__all__ = ["__version__", "fix_lines", "load_corrector"]


def __getattr__(name: str):
    # Lazy: `import spelltune` must stay cheap (no torch) for the CLI's help and for data tools.
    if name == "fix_lines":
        from spelltune.serve.fix import fix_lines

        return fix_lines
    if name == "load_corrector":
        from spelltune.correct.load import load_corrector

        return load_corrector
    raise AttributeError(f"module 'spelltune' has no attribute {name!r}")
