"""Clean sentence corpora embedded in the package (see generate_everyday.py)."""
