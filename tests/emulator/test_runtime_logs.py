"""Job logs read by byte offset (TJ-11) and by line (TJ-13)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyterlab_modelarts.emulator.runtime.logs import read_bytes, read_lines


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "job.0"
    path.write_text("".join(f"line {n}\n" for n in range(1, 11)))
    return path


def test_bytes_forward_backward_and_latest(log):
    first = read_bytes(log, 0, 7)
    assert (first.text, first.count, first.end_byte) == ("line 1\n", 7, 7)
    following = read_bytes(log, first.end_byte, 7)
    assert following.text == "line 2\n"
    size = log.stat().st_size
    last = read_bytes(log, -1, -8)
    assert (last.text, last.end_byte) == ("line 10\n", size - 8)
    assert read_bytes(log, -1, 100).count == 0
    assert read_bytes(log.with_name("absent"), 0, 10).count == 0
    with pytest.raises(ValueError, match="offset"):
        read_bytes(log, 0, 4096)


def test_lines_latest_then_paging_both_ways(log):
    latest = read_lines(log, "", 3, "desc")
    assert latest.content == "line 8\nline 9\nline 10\n" and latest.lines == 3
    assert latest.end_line == str(log.stat().st_size)
    before = read_lines(log, latest.start_line, 2, "asc")
    assert before.content == "line 6\nline 7\n"
    assert before.end_line == latest.start_line
    first = read_lines(log, "0", 2, "desc")
    assert (first.content, first.start_line) == ("line 1\nline 2\n", "0")
    after = read_lines(log, first.end_line, 2, "desc")
    assert after.content == "line 3\nline 4\n"
    assert read_lines(log, latest.end_line, 5, "desc").lines == 0
    assert read_lines(log, "0", 5, "asc").lines == 0
    assert read_lines(log.with_name("absent"), "", 5, "desc").lines == 0
    with pytest.raises(ValueError, match="lines"):
        read_lines(log, "", 501, "desc")


def test_a_whole_log_read_page_by_page_both_ways(tmp_path):
    path = tmp_path / "job.log"
    written = "".join(f"{n} {'x' * (n % 300)}\n" for n in range(3000)) + "no newline at the end"
    path.write_text(written)
    forward, base = [], "0"
    while (page := read_lines(path, base, 500, "desc")).lines:
        forward.append(page.content)
        base = page.end_line
    backward, base = [], ""
    while (page := read_lines(path, base, 500, "asc")).lines:
        backward.insert(0, page.content)
        base = page.start_line
        if base == "0":
            break
    assert "".join(forward) == "".join(backward) == written + "\n"


def whole_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) byte positions of every line of ``text``, a last one without newline too."""
    data, spans, start = text.encode(), [], 0
    while start < len(data):
        newline = data.find(b"\n", start)
        end = len(data) if newline == -1 else newline + 1
        spans.append((start, end))
        start = end
    return spans


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.text(alphabet=st.sampled_from("ab\n\r é"), max_size=30), min_size=1, max_size=4
    ),
    lines=st.integers(0, 20),
    base=st.integers(0, 80),
    order=st.sampled_from(["asc", "desc", "tail"]),
)
def test_line_pages_match_a_whole_file_read_as_the_log_grows(
    tmp_path_factory, parts, lines, base, order
):
    # Every page, from any byte position, must equal the lines a whole-file read gives: those
    # starting at or after the position (desc), or ending at or before it (asc, tail).
    path = tmp_path_factory.mktemp("log") / "job.log"
    written = ""
    for part in parts:
        written += part
        with path.open("a", encoding="utf-8", newline="") as log:
            log.write(part)
        data = written.encode()
        spans = whole_lines(written)
        if order == "desc":
            chosen = [span for span in spans if span[0] >= base][:lines]
            chunk = read_lines(path, str(base), lines, "desc")
        else:
            limit = len(data) if order == "tail" else base
            chosen = [span for span in spans if span[1] <= limit][-lines:] if lines else []
            chunk = read_lines(path, "" if order == "tail" else str(base), lines, "asc")
        expected = [
            data[start:end].decode("utf-8", "replace").removesuffix("\n").removesuffix("\r")
            for start, end in chosen
        ]
        assert chunk.lines == len(expected)
        assert chunk.content == ("\n".join(expected) + "\n" if expected else "")
        if chosen:
            assert (chunk.start_line, chunk.end_line) == (str(chosen[0][0]), str(chosen[-1][1]))
