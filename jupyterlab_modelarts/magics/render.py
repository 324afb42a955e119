"""What the magics show: tables (HTML with a plain-text fallback), progress bars, log lines.

Results are Python objects that render themselves: a listing is a ``list`` of the API's dicts,
a record is the API's ``dict``; ``jobs = %modelarts jobs`` keeps the data, a bare
``%modelarts jobs`` shows the table.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


def _lookup(item: Any, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(item, dict):
            return None
        item = item.get(part)
    return item


def timestamp(value: Any) -> str:
    """Epoch milliseconds (as the ModelArts APIs give them) or seconds, as local time."""
    if not isinstance(value, (int, float)) or value <= 0:
        return ""
    seconds = value / 1000 if value > 1e11 else value
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class Column:
    title: str
    #: Dotted path into an item: "status", "flavor.cpu".
    key: str
    format: Callable[[Any], str] = cell_text

    def text(self, item: Any) -> str:
        return self.format(_lookup(item, self.key))


def html_table(headers: Sequence[str], rows: Iterable[Sequence[str]], caption: str = "") -> str:
    """A table; without any header text (a record's field/value rows) it has no header row."""
    cells = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in headers)
    head = f"<thead><tr>{cells}</tr></thead>" if any(headers) else ""
    body = "".join(
        "<tr>"
        + "".join(f"<td style='text-align:left'>{html.escape(c, quote=False)}</td>" for c in row)
        + "</tr>"
        for row in rows
    )
    title = f"<caption style='text-align:left'>{html.escape(caption)}</caption>" if caption else ""
    return f"<table class='modelarts-table'>{title}{head}<tbody>{body}</tbody></table>"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]
    lines = [caption] if caption else []
    for row in [list(headers), ["-" * w for w in widths], *rows]:
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return "\n".join(lines)


class Listing(list[dict[str, Any]]):
    """Items of one kind, shown as a table of ``columns``."""

    def __init__(
        self, items: Iterable[dict[str, Any]], columns: Sequence[Column], *, title: str
    ) -> None:
        super().__init__(items)
        self.columns = list(columns)
        self.title = title

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        return [c.title for c in self.columns], [[c.text(i) for c in self.columns] for i in self]

    def _caption(self) -> str:
        return f"{self.title} ({len(self)})" if self else f"{self.title}: none"

    def _repr_html_(self) -> str:
        return html_table(*self._cells(), caption=self._caption())

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(text_table(*self._cells(), caption=self._caption()))


class Record(dict[str, Any]):
    """One item, shown as a two-column table of the ``fields`` that have a value."""

    def __init__(self, item: dict[str, Any], fields: Sequence[Column], *, title: str) -> None:
        super().__init__(item)
        self.fields = list(fields)
        self.title = title

    def _rows(self) -> list[list[str]]:
        rows = [[f.title, f.text(self)] for f in self.fields]
        return [row for row in rows if row[1]]

    def _repr_html_(self) -> str:
        return html_table(["", ""], self._rows(), caption=self.title)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(text_table(["field", "value"], self._rows(), caption=self.title))


class Progress:
    """A progress bar in the cell's output, updated in place (display ids)."""

    WIDTH = 30

    def __init__(self, title: str) -> None:
        from IPython.display import display

        self.title = title
        self.fraction: float | None = None
        self.message = ""
        self._handle = display(self, display_id=True)

    def update(self, fraction: float | None, message: str = "") -> None:
        if (fraction, message) == (self.fraction, self.message):
            return
        self.fraction, self.message = fraction, message
        if self._handle is not None:
            self._handle.update(self)

    def _percent(self) -> str:
        return "" if self.fraction is None else f"{self.fraction:.0%}"

    def _repr_html_(self) -> str:
        value = "" if self.fraction is None else f" value='{self.fraction:.3f}'"
        return (
            f"<div class='modelarts-progress'><span>{html.escape(self.title)}</span> "
            f"<progress max='1'{value}></progress> {self._percent()} "
            f"<span>{html.escape(self.message)}</span></div>"
        )

    def __repr__(self) -> str:
        done = round((self.fraction or 0.0) * self.WIDTH)
        bar = "#" * done + "-" * (self.WIDTH - done)
        return f"{self.title} [{bar}] {self._percent()} {self.message}".rstrip()


def upload_line(what: str, summary: dict[str, Any]) -> str:
    """What an upload will send (the server's preview: count, size, first files), one line."""
    first = summary.get("first_files") or []
    more = ", ..." if summary.get("files", 0) > len(first) else ""
    left_out = f"; {summary['ignored']} left out" if summary.get("ignored") else ""
    return (
        f"{what}: {summary.get('files', 0)} files, {summary.get('bytes', 0)} bytes"
        f" ({', '.join(first)}{more}){left_out}"
    )


def stream_line(text: str) -> None:
    """A log line into the cell output, as it arrives."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
