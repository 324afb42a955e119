"""Reading a job's log file the two ways the training log APIs do: by byte offset (TJ-11) and
by line (TJ-13)."""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ...whole_numbers import parse_whole_number

#: Largest window of one byte read (TJ-11 `offset` range is [-2048, 2048]).
MAX_BYTE_WINDOW = 2048
#: Largest number of lines of one line read (TJ-13 `lines` range is [0, 500]).
MAX_LINES = 500


@dataclass(frozen=True)
class ByteChunk:
    text: str
    #: Number of bytes read.
    count: int
    #: Where the next read in the same direction starts.
    end_byte: int


@dataclass(frozen=True)
class LineChunk:
    content: str
    lines: int
    #: Line numbers (1-based, as decimal strings: the cloud's values are opaque big integers)
    #: of the first and last line returned; empty when nothing was returned.
    start_line: str
    end_line: str


def read_bytes(path: Path, start_byte: int, offset: int) -> ByteChunk:
    """Read `offset` bytes from `start_byte`, backwards when `offset` is negative.

    `start_byte == -1` means the current end of the log. A missing file reads as empty (the job
    has not started writing yet).
    """
    if start_byte < -1:
        raise ValueError("start_byte must be -1 or greater")
    if not -MAX_BYTE_WINDOW <= offset <= MAX_BYTE_WINDOW:
        raise ValueError(f"offset must be in [-{MAX_BYTE_WINDOW}, {MAX_BYTE_WINDOW}]")
    size = path.stat().st_size if path.exists() else 0
    start = size if start_byte == -1 else min(start_byte, size)
    low, high = (
        (start, min(size, start + offset)) if offset >= 0 else (max(0, start + offset), start)
    )
    data = b""
    if high > low:
        with path.open("rb") as log:
            log.seek(low)
            data = log.read(high - low)
    end_byte = low + len(data) if offset >= 0 else low
    return ByteChunk(data.decode("utf-8", errors="replace"), len(data), end_byte)


def read_lines(path: Path, base_line: str, lines: int, order: str) -> LineChunk:
    """Read up to `lines` lines around `base_line`.

    Empty `base_line`: the last `lines` lines. `order="desc"`: the lines after `base_line`
    ("next records"); `order="asc"`: the lines before it ("previous records").
    """
    if not 0 <= lines <= MAX_LINES:
        raise ValueError(f"lines must be in [0, {MAX_LINES}]")
    if order not in ("asc", "desc"):
        raise ValueError("order must be asc or desc")
    if base_line and parse_whole_number(base_line) is None:
        raise ValueError("base_line must be a line number returned by an earlier call")
    index = _line_index(path)
    total = index.count
    if not base_line:
        first = max(0, total - lines)
        last = total
    elif order == "desc":
        first = min(int(base_line), total)
        last = min(total, first + lines)
    else:
        last = max(0, min(int(base_line) - 1, total))
        first = max(0, last - lines)
    if last <= first:
        return LineChunk("", 0, "", "")
    selected = index.read(path, first, last)
    return LineChunk("\n".join(selected) + "\n", len(selected), str(first + 1), str(last))


class _LineIndex:
    """Where each line of a log starts, so that a page of lines is read from its own bytes.

    A log only grows while its job runs: each read indexes just what was appended since the
    last one (a log that shrank is indexed again from the start).
    """

    def __init__(self) -> None:
        self.starts = array("Q")
        self.size = 0
        self.lock = threading.Lock()

    @property
    def count(self) -> int:
        # The last start is not a line when the log ends with a newline.
        if self.starts and self.starts[-1] == self.size:
            return len(self.starts) - 1
        return len(self.starts)

    def update(self, path: Path) -> None:
        size = path.stat().st_size if path.exists() else 0
        if size < self.size:
            self.starts, self.size = array("Q"), 0
        if size == self.size:
            return
        if self.size == 0:
            self.starts.append(0)
        with path.open("rb") as log:
            log.seek(self.size)
            offset = self.size
            while chunk := log.read(min(1 << 20, size - offset)):
                newline = chunk.find(b"\n")
                while newline != -1:
                    self.starts.append(offset + newline + 1)
                    newline = chunk.find(b"\n", newline + 1)
                offset += len(chunk)
                if offset >= size:
                    break
        self.size = size

    def read(self, path: Path, first: int, last: int) -> list[str]:
        low = self.starts[first]
        high = self.starts[last] if last < len(self.starts) else self.size
        with path.open("rb") as log:
            log.seek(low)
            data = log.read(high - low)
        text = data.decode("utf-8", errors="replace")
        if text.endswith("\n"):
            text = text[:-1]
        return [line.removesuffix("\r") for line in text.split("\n")]


#: Indexes of the logs read most recently (a page request is answered from the index).
_INDEXES: OrderedDict[Path, _LineIndex] = OrderedDict()
_INDEXES_LOCK = threading.Lock()
_MAX_INDEXES = 64


def _line_index(path: Path) -> _LineIndex:
    with _INDEXES_LOCK:
        index = _INDEXES.pop(path, None) or _LineIndex()
        _INDEXES[path] = index
        while len(_INDEXES) > _MAX_INDEXES:
            _INDEXES.popitem(last=False)
    with index.lock:
        index.update(path)
    return index


def tail(path: Path, max_chars: int = 2000) -> str:
    """The end of a log, for a failure reason."""
    chunk = read_bytes(path, -1, -MAX_BYTE_WINDOW)
    return chunk.text[-max_chars:].strip()
