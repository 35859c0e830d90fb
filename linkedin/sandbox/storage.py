"""The sandbox's own storage: JSON documents in one SQLite file (or memory), safe across threads."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Record = dict[str, Any]

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
-- Conversation events are read by viewer seat and time window (tens of thousands in a bench).
CREATE INDEX IF NOT EXISTS records_viewer_time ON records (
    kind, json_extract(data, '$.viewer'), json_extract(data, '$.occurredAt')
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class Storage:
    """Documents grouped by kind and key; one lock serialises every access."""

    def __init__(self, path: str = ":memory:") -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and make the enclosed writes atomic (nesting joins the outer one)."""
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self._depth == 1:
                    self._db.execute("ROLLBACK")
                raise
            else:
                if self._depth == 1:
                    self._db.execute("COMMIT")
            finally:
                self._depth -= 1

    # Documents -------------------------------------------------------------------------------

    def get(self, kind: str, key: str) -> Record | None:
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM records WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, kind: str, key: str, data: Record) -> Record:
        with self._lock:
            row = self._db.execute(
                "SELECT seq FROM records WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
            seq = row[0] if row else self.next_id("seq")
            self._db.execute(
                "INSERT OR REPLACE INTO records (kind, key, seq, data) VALUES (?, ?, ?, ?)",
                (kind, key, seq, json.dumps(data, sort_keys=True)),
            )
        return data

    def delete(self, kind: str, key: str) -> bool:
        with self._lock:
            cursor = self._db.execute("DELETE FROM records WHERE kind = ? AND key = ?", (kind, key))
        return cursor.rowcount > 0

    def all(self, kind: str, where: Callable[[Record], bool] | None = None) -> list[Record]:
        """Every document of a kind in insertion order, optionally filtered."""
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM records WHERE kind = ? ORDER BY seq", (kind,)
            ).fetchall()
        records = [json.loads(row[0]) for row in rows]
        return [r for r in records if where is None or where(r)]

    def matching(
        self,
        kind: str,
        equal: dict[str, Any],
        between: tuple[str, int, int] | None = None,
        window: tuple[int, int] | None = None,
    ) -> tuple[list[Record], int]:
        """Documents of a kind whose fields equal `equal` and, with `between` (field, start,
        end), whose field lies in [start, end), in insertion order, with their total; `window`
        (offset, limit) returns one page of them. Filtered and paged by SQLite (an index serves
        conversation events by viewer and time)."""
        clauses: list[str] = ["kind = ?"]
        params: list[Any] = [kind]
        for name, value in equal.items():
            clauses.append(f"json_extract(data, '$.{_field(name)}') = ?")
            params.append(value)
        if between is not None:
            name, start, end = between
            column = f"json_extract(data, '$.{_field(name)}')"
            clauses.append(f"{column} >= ? AND {column} < ?")
            params += [start, end]
        where = " AND ".join(clauses)  # field names checked by _field; values are parameters
        sql = f"SELECT data FROM records WHERE {where} ORDER BY seq"  # noqa: S608
        count_sql = f"SELECT COUNT(*) FROM records WHERE {where}"  # noqa: S608
        if window is not None:
            sql += f" LIMIT {int(window[1])} OFFSET {int(window[0])}"
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
            total = len(rows)
            if window is not None:
                total = self._db.execute(count_sql, params).fetchone()[0]
        return [json.loads(row[0]) for row in rows], total

    def keys(self, kind: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT key FROM records WHERE kind = ? ORDER BY seq", (kind,)
            ).fetchall()
        return [row[0] for row in rows]

    # Metadata and counters -----------------------------------------------------------------------

    def meta(self, name: str, default: Any = None) -> Any:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_meta(self, name: str, value: Any) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, json.dumps(value))
            )

    def counter(self, name: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0

    def incr(self, name: str, by: int = 1) -> int:
        """Add to a named counter and return the new value."""
        with self._lock:
            value = self.counter(name) + by
            self._db.execute(
                "INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", (name, value)
            )
        return value

    def next_id(self, name: str) -> int:
        return self.incr(f"id:{name}")

    # Whole store ---------------------------------------------------------------------------------

    def clear(self) -> None:
        with self.transaction():
            for table in ("records", "meta", "counters"):
                self._db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def dump(self) -> dict[str, Any]:
        """Every document grouped by kind, plus metadata: the state control endpoint's answer."""
        with self._lock:
            rows = self._db.execute("SELECT kind, data FROM records ORDER BY kind, seq").fetchall()
            meta = self._db.execute("SELECT name, value FROM meta ORDER BY name").fetchall()
        state: dict[str, Any] = {}
        for kind, data in rows:
            state.setdefault(kind, []).append(json.loads(data))
        state["_meta"] = {name: json.loads(value) for name, value in meta}
        return state


class Clock:
    """Wall time plus an offset that the clock control endpoint moves forward."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def now(self) -> float:
        return time.time() + float(self.storage.meta("clock_offset", 0.0))

    def now_ms(self) -> int:
        return int(self.now() * 1000)

    def advance(self, seconds: float) -> float:
        offset = float(self.storage.meta("clock_offset", 0.0)) + seconds
        self.storage.set_meta("clock_offset", offset)
        return offset


def _field(name: str) -> str:
    if not name.isidentifier():
        raise ValueError(f"not a field name: {name!r}")
    return name
