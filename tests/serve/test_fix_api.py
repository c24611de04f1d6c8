from spelltune.serve.fix import fix_lines, fix_text, split_lines


def test_split_lines_only_breaks_at_newlines():
    lines = split_lines("a\u2028b\r\nc\n\nd")
    assert [(line.text, line.ending) for line in lines] == [("a\u2028b", "\r\n"), ("c", "\n"), ("", "\n"), ("d", "")]


def test_python_api_corrects_and_keeps_layout(trained_tiny_model_dir):
    model = str(trained_tiny_model_dir)
    text = "we shud go home now\r\n\r\nThis sentence is fine.\n"
    assert fix_text(text, model=model) == "we should go home now\r\n\r\nThis sentence is fine.\n"
    [correction] = fix_lines(["Ther cat sat on teh mat."], model=model)
    assert correction.output == "The cat sat on the mat."
    assert len(correction.edits) == 2


def test_progress_is_reported_by_an_lm_corrector_even_behind_the_personal_dictionary(trained_tiny_model_dir, tmp_path):
    from spelltune.correct.load import load_corrector
    from spelltune.serve.fix import correct_input_lines
    from spelltune.serve.personal import DictionaryFilteredCorrector, PersonalDictionary

    lines = split_lines("we shud go home now\n\nThis sentence is fine.\n")
    lm = load_corrector(str(trained_tiny_model_dir))
    for corrector in (lm, DictionaryFilteredCorrector(lm, PersonalDictionary(tmp_path / "words.txt"))):
        finished: list[int] = []
        correct_input_lines(lines, lambda: corrector, finished.append)
        assert sum(finished) == 2  # two pieces; the blank line never reaches the model
    # A corrector whose correct_lines takes no on_progress still corrects.
    [first, _, _] = correct_input_lines(lines, lambda: load_corrector("identity"), finished.append)
    assert first.output == "we shud go home now"
