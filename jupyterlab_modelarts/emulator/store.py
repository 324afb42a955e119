"""SQLite state of Local ModelArts: one table of JSON documents per resource kind.

Each kind (``"training_jobs"``, ``"models"``, ...) gets a table created on first use with columns
``id`` (primary key), ``name``, ``parent`` (e.g. the job of a version), ``created``/``updated``
(epoch milliseconds) and ``doc`` (the JSON document). Resource modules keep whatever shape they
need in ``doc`` and use ``name``/``parent`` for lookups.

One connection serves the tornado thread and the worker threads that executors use, serialised by
a re-entrant lock; ``transaction()`` makes several calls atomic.
"""

from __future__ import annotations

import builtins
import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_KIND = re.compile(r"[a-z][a-z0-9_]{0,62}")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")

Document = dict[str, Any]


def now_ms() -> int:
    return int(time.time() * 1000)


class Store:
    """JSON documents keyed by id, one table per kind. ``path=None`` keeps everything in memory."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.RLock()
        self._depth = 0
        self._kinds: set[str] = set()
        self._db = sqlite3.connect(
            ":memory:" if path is None else str(path),
            isolation_level=None,
            check_same_thread=False,
        )
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """All calls inside commit together or not at all; nesting joins the outer transaction.

        Do not ``await`` inside: the lock is per thread, so another coroutine of the same
        thread would join the open transaction."""
        with self._lock:
            outermost = self._depth == 0
            if outermost:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outermost:
                self._db.execute("COMMIT")

    def _table(self, kind: str) -> str:
        if kind not in self._kinds:
            if not _KIND.fullmatch(kind):
                raise ValueError(f"invalid resource kind {kind!r}")
            table = f"res_{kind}"
            with self._lock:
                self._db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, name TEXT,"
                    " parent TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL,"
                    " doc TEXT NOT NULL)"
                )
                self._db.execute(f"CREATE INDEX IF NOT EXISTS {table}_name ON {table} (name)")
                self._db.execute(f"CREATE INDEX IF NOT EXISTS {table}_parent ON {table} (parent)")
            self._kinds.add(kind)
        return f"res_{kind}"

    def put(
        self,
        kind: str,
        id: str,
        doc: Document,
        *,
        name: str | None = None,
        parent: str | None = None,
    ) -> Document:
        """Insert or replace; ``created`` survives replacement. Returns ``doc``."""
        table = self._table(kind)
        stamp = now_ms()
        with self._lock:
            self._db.execute(
                f"INSERT INTO {table} (id, name, parent, created, updated, doc)"  # noqa: S608 (table name validated by _KIND)
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name,"
                " parent=excluded.parent, updated=excluded.updated, doc=excluded.doc",
                (id, name, parent, stamp, stamp, json.dumps(doc, separators=(",", ":"))),
            )
        return doc

    def get(self, kind: str, id: str) -> Document | None:
        table = self._table(kind)
        with self._lock:
            row = self._db.execute(f"SELECT doc FROM {table} WHERE id = ?", (id,)).fetchone()  # noqa: S608 (table name validated by _KIND)
        return None if row is None else json.loads(row[0])

    def find(self, kind: str, *, name: str, parent: str | None = None) -> Document | None:
        """The first document with this name (within ``parent`` if given)."""
        found = self.list(kind, name=name, parent=parent, limit=1)
        return found[0] if found else None

    def list(
        self,
        kind: str,
        *,
        name: str | None = None,
        parent: str | None = None,
        newest_first: bool = False,
        limit: int | None = None,
        offset: int = 0,
        fields: Sequence[str] | None = None,
    ) -> builtins.list[Document]:
        """Documents in creation order (ties broken by id), optionally filtered and paged.
        With ``fields`` (top-level fields holding numbers, strings or null), only those, read
        by SQLite from each document: a list of a thousand large documents then decodes none
        of them."""
        table = self._table(kind)
        where, args = self._filters(name, parent)
        order = "DESC" if newest_first else "ASC"
        if fields is None:
            columns = "doc"
        else:
            for field in fields:
                if not _FIELD.fullmatch(field):
                    raise ValueError(f"not a field name: {field!r}")
            columns = ", ".join(f"json_extract(doc, '$.{field}')" for field in fields)
        sql = f"SELECT {columns} FROM {table}{where} ORDER BY created {order}, rowid {order}"  # noqa: S608 (table and field names validated)
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        elif offset:
            sql += " LIMIT -1 OFFSET ?"
            args.append(offset)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        if fields is not None:
            return [dict(zip(fields, row, strict=True)) for row in rows]
        return [json.loads(row[0]) for row in rows]

    def count(self, kind: str, *, name: str | None = None, parent: str | None = None) -> int:
        table = self._table(kind)
        where, args = self._filters(name, parent)
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM {table}{where}", args).fetchone()[0])  # noqa: S608 (table name validated by _KIND)

    def delete(self, kind: str, id: str) -> bool:
        """Remove one document; False if there was none."""
        table = self._table(kind)
        with self._lock:
            return self._db.execute(f"DELETE FROM {table} WHERE id = ?", (id,)).rowcount > 0  # noqa: S608 (table name validated by _KIND)

    def delete_children(self, kind: str, parent: str) -> int:
        table = self._table(kind)
        with self._lock:
            return self._db.execute(f"DELETE FROM {table} WHERE parent = ?", (parent,)).rowcount  # noqa: S608 (table name validated by _KIND)

    def next_number(self, sequence: str) -> int:
        """1, 2, 3, ... per sequence name, persistent (numeric ids such as training job ids)."""
        with self._lock:
            row = self._db.execute(
                "INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name)"
                " DO UPDATE SET value = value + 1 RETURNING value",
                (sequence,),
            ).fetchone()
        return int(row[0])

    @staticmethod
    def _filters(name: str | None, parent: str | None) -> tuple[str, builtins.list[Any]]:
        clauses: builtins.list[str] = []
        args: builtins.list[Any] = []
        if name is not None:
            clauses.append("name = ?")
            args.append(name)
        if parent is not None:
            clauses.append("parent = ?")
            args.append(parent)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), args
