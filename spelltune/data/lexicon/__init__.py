"""Word lists shared across stages: homophones, contractions, merges and the QWERTY layout."""
