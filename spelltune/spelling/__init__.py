"""The spelling-mechanics study: does spelling the tokenizer's own tokens teach letter counts and positions?

Pipeline: `tokens` (letters-only tokens of a tokenizer) -> `build` (spelling train rows; letter-count and
letter-position questions on held-out dictionary words) -> `spelltune train` -> `eval` -> `report`.
"""
