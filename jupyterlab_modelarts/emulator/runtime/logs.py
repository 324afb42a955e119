"""Reading a job's log file the two ways the training log APIs do: by byte offset (TJ-11) and
by line (TJ-13)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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
    """Read up to `lines` lines on one side of `base_line`.

    A line cursor is a byte position between two lines, as a decimal string (the cloud's
    cursors are opaque big integers too): `start_line` is where the first line returned starts,
    `end_line` where the last one ends, and "0" is the start of the log. Empty `base_line`: the
    last `lines` lines. `order="desc"`: the lines starting at or after `base_line` ("next
    records"); `order="asc"`: the lines ending at or before it ("previous records").

    Nothing is indexed: a page reads the bytes of its own lines, backwards from the end for the
    last lines, so the first screen of a finished 1 GB log costs what a 1 KB one does.
    """
    if not 0 <= lines <= MAX_LINES:
        raise ValueError(f"lines must be in [0, {MAX_LINES}]")
    if order not in ("asc", "desc"):
        raise ValueError("order must be asc or desc")
    if base_line and parse_whole_number(base_line) is None:
        raise ValueError("base_line must be a line returned by an earlier call")
    if lines == 0 or not path.exists():
        return LineChunk("", 0, "", "")
    with path.open("rb") as log:
        size = log.seek(0, os.SEEK_END)
        base = min(int(base_line), size) if base_line else size
        if not base_line or order == "asc":
            first, data = _lines_before(log, _boundary_at_or_before(log, base, size), lines)
        else:
            first, data = _lines_from(log, _boundary_at_or_after(log, base, size), lines)
    if not data:
        return LineChunk("", 0, "", "")
    text = data.decode("utf-8", errors="replace").removesuffix("\n")
    selected = [line.removesuffix("\r") for line in text.split("\n")]
    content = "\n".join(selected) + "\n"
    return LineChunk(content, len(selected), str(first), str(first + len(data)))


#: Bytes read at a time while looking for line ends.
_BLOCK = 64 * 1024


def _ends_a_line(log: BinaryIO, position: int, size: int) -> bool:
    """Whether `position` is a line boundary: the log's start or end, or just after a newline."""
    if position in (0, size):
        return True
    log.seek(position - 1)
    return log.read(1) == b"\n"


def _boundary_at_or_before(log: BinaryIO, position: int, size: int) -> int:
    """The start of the line `position` falls inside, or `position` itself at a boundary."""
    if _ends_a_line(log, position, size):
        return position
    while position > 0:
        low = max(0, position - _BLOCK)
        log.seek(low)
        newline = log.read(position - low).rfind(b"\n")
        if newline != -1:
            return low + newline + 1
        position = low
    return 0


def _boundary_at_or_after(log: BinaryIO, position: int, size: int) -> int:
    """The end of the line `position` falls inside, or `position` itself at a boundary (a last
    line without a newline ends at the end of the log)."""
    if _ends_a_line(log, position, size):
        return position
    log.seek(position)
    while block := log.read(_BLOCK):
        newline = block.find(b"\n")
        if newline != -1:
            return position + newline + 1
        position += len(block)
    return size


def _lines_before(log: BinaryIO, end: int, count: int) -> tuple[int, bytes]:
    """(where they start, the bytes of) the last `count` lines ending at boundary `end`, read
    backwards a block at a time."""
    blocks: list[bytes] = []
    # The byte before `end` is the newline of the last line (or part of a last line without
    # one): the newlines that count are those before it.
    position, wanted = max(0, end - 1), count
    while position > 0:
        low = max(0, position - _BLOCK)
        log.seek(low)
        block = log.read(position - low)
        found = block.count(b"\n")
        if found >= wanted:
            newline = len(block)
            for _ in range(wanted):
                newline = block.rfind(b"\n", 0, newline)
            blocks.append(block[newline + 1 :])
            position = low + newline + 1
            break
        wanted -= found
        blocks.append(block)
        position = low
    log.seek(max(0, end - 1))
    tail = log.read(end - max(0, end - 1))
    return position, b"".join(reversed(blocks)) + tail


def _lines_from(log: BinaryIO, start: int, count: int) -> tuple[int, bytes]:
    """(`start`, the bytes of) the first `count` lines from boundary `start`, read forwards a
    block at a time."""
    blocks: list[bytes] = []
    log.seek(start)
    wanted = count
    while block := log.read(_BLOCK):
        found = block.count(b"\n")
        if found >= wanted:
            newline = -1
            for _ in range(wanted):
                newline = block.find(b"\n", newline + 1)
            blocks.append(block[: newline + 1])
            break
        wanted -= found
        blocks.append(block)
    return start, b"".join(blocks)


def tail(path: Path, max_chars: int = 2000) -> str:
    """The end of a log, for a failure reason."""
    chunk = read_bytes(path, -1, -MAX_BYTE_WINDOW)
    return chunk.text[-max_chars:].strip()


def note(paths: Iterable[Path], message: str) -> None:
    """Add a line of Local ModelArts' own to each log, where the user looks."""
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"[Local ModelArts] {message}\n")
