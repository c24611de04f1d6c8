"""The data stage: correction pairs from real human misspellings and synthetic corruption of clean
sentences, balanced by category and split with no leakage (`spelltune data build` / `data check`)."""
