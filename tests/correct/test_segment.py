from spelltune.correct.segment import needs_model, split_into_pieces


def test_short_line_is_one_trimmed_piece():
    [piece] = split_into_pieces("  Hello wrold.  ")
    assert (piece.text, piece.start, piece.end) == ("Hello wrold.", 2, 14)


def test_blank_line_has_no_pieces():
    assert split_into_pieces("   \t ") == []


def test_long_line_splits_at_sentences_and_packs_short_ones_back():
    sentences = [" ".join(["word"] * 5) + "." for _ in range(6)]
    line = " ".join(sentences)
    pieces = split_into_pieces(line, max_words=12)
    assert [len(p.text.split()) for p in pieces] == [10, 10, 10]
    assert all(line[p.start : p.end] == p.text for p in pieces)


def test_sentence_without_punctuation_is_cut_every_max_words_and_keeps_every_word():
    line = " ".join(f"w{i}" for i in range(95))
    pieces = split_into_pieces(line, max_words=40)
    assert [len(p.text.split()) for p in pieces] == [40, 40, 15]
    assert " ".join(p.text for p in pieces).split() == line.split()


def test_pieces_without_letters_or_with_one_giant_token_skip_the_model():
    assert not needs_model("12:30 -- 45%")
    assert not needs_model("a" * 500)
    assert needs_model("teh cat")
