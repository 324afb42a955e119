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
    assert latest.content == "line 8\nline 9\nline 10\n"
    assert (latest.start_line, latest.end_line, latest.lines) == ("8", "10", 3)
    before = read_lines(log, latest.start_line, 2, "asc")
    assert before.content == "line 6\nline 7\n"
    after = read_lines(log, "4", 2, "desc")
    assert after.content == "line 5\nline 6\n"
    assert read_lines(log, "10", 5, "desc").lines == 0
    with pytest.raises(ValueError, match="lines"):
        read_lines(log, "", 501, "desc")


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.text(alphabet=st.sampled_from("ab\n\r é"), max_size=30), min_size=1, max_size=4
    ),
    lines=st.integers(0, 20),
    base=st.integers(0, 40),
    order=st.sampled_from(["asc", "desc", "tail"]),
)
def test_line_pages_match_a_whole_file_read_as_the_log_grows(
    tmp_path_factory, parts, lines, base, order
):
    # The log is indexed incrementally: every page must equal what reading the whole file gives.
    path = tmp_path_factory.mktemp("log") / "job.log"
    written = ""
    for part in parts:
        written += part
        with path.open("a", encoding="utf-8", newline="") as log:
            log.write(part)
        every = [line.removesuffix("\r") for line in written.split("\n")]
        if written.endswith("\n") or not written:
            every = every[:-1]
        total = len(every)
        if order == "tail":
            first, last = max(0, total - lines), total
            chunk = read_lines(path, "", lines, "desc")
        elif order == "desc":
            first = min(base, total)
            last = min(total, first + lines)
            chunk = read_lines(path, str(base), lines, "desc")
        else:
            last = max(0, min(base - 1, total))
            first = max(0, last - lines)
            chunk = read_lines(path, str(base) if base else "", lines, "asc")
            if not base:  # an empty base line means the tail
                first, last = max(0, total - lines), total
        expected = every[first:last]
        assert chunk.lines == len(expected)
        assert chunk.content == ("\n".join(expected) + "\n" if expected else "")
