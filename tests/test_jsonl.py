import pytest

from spelltune.errors import DataFormatError, InputError
from spelltune.jsonl import read_jsonl_objects


def test_objects_come_with_their_line_numbers_and_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n\n{"a": 2}\n')
    assert list(read_jsonl_objects(path)) == [(1, {"a": 1}), (3, {"a": 2})]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"a": 1}\n{"a": \n', "rows.jsonl:2: not valid JSON"),
        (b'{"a": 1}\n[1, 2]\n', "rows.jsonl:2: each line must be a JSON object"),
        (b'{"a": "caf\xe9"}\n', "rows.jsonl:1: not UTF-8 text"),
    ],
)
def test_bad_lines_name_the_file_and_line(tmp_path, content, message):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(content)
    with pytest.raises(DataFormatError, match=message):
        list(read_jsonl_objects(path))


def test_a_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(InputError, match="no such file; build it first"):
        list(read_jsonl_objects(tmp_path / "none.jsonl", "build it first"))
