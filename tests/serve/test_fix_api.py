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
