"""Reading the read models, and knowing they are current, without the log's libraries.

A question is answered from the read-model file once every event of the log is in it. Knowing
that takes three reads of the log (its identity, its newest event, and the event the read
models applied last) and one of the read-model file's own records; importing eventsourcing
and sqlite-utils to do them took most of a question's time. :func:`current` does them with
plain ``sqlite3`` for a SQLite log, and the rule deciding whether rows may be caught up at all
(:func:`stale_because`) is the one the engine applies before every catch-up.

When anything is new or unusual (events to apply, another schema, a damaged file, a
PostgreSQL log) :func:`current` answers None and the caller takes the long way, which catches
up, rebuilds or refuses with its own message.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from flashpoint.projections.sqlite_files import FileKind, classify

SCHEMA_VERSION = "16"
LOCK_TIMEOUT_SECONDS = 60

Parameters = Sequence[Any] | dict[str, Any] | None


class Queries(Protocol):
    """What a question asks of the read-model database: sqlite-utils' ``Database`` while catching
    up, a :class:`Reader` when nothing is new."""

    conn: sqlite3.Connection

    def execute(self, sql: str, parameters: Parameters = None) -> sqlite3.Cursor: ...

    def query(self, sql: str, params: Parameters = None) -> Iterator[dict[str, Any]]: ...

    def atomic(self) -> AbstractContextManager[Any]: ...


class Reader:
    """A read-model file opened only to read, answering like sqlite-utils' ``Database`` does."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=LOCK_TIMEOUT_SECONDS)
        self.conn.execute("PRAGMA query_only = ON")

    def execute(self, sql: str, parameters: Parameters = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters) if parameters is not None else self.conn.execute(sql)

    def query(self, sql: str, params: Parameters = None) -> Iterator[dict[str, Any]]:
        cursor = self.execute(sql, params)
        keys = [column[0] for column in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    @contextmanager
    def atomic(self) -> Iterator[Reader]:
        """One snapshot for the block (a reader from :func:`current` holds one throughout)."""
        if self.conn.in_transaction:
            yield self
            return
        self.conn.execute("BEGIN")
        try:
            yield self
        finally:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def views_path_for(log_path: str | Path) -> Path:
    """``flashpoint.db`` → ``flashpoint.views.db``, beside the log."""
    path = Path(log_path)
    return path.with_name(f"{path.stem}.views{path.suffix or '.db'}")


def fingerprint(originator_id: UUID | str, version: int, state: bytes) -> str:
    """An event itself, not only its place: aggregate ids come from names, so two logs can hold
    the same aggregate, version and topic at one position; its bytes (with their timestamp) differ."""
    digest = hashlib.blake2b(bytes(state), digest_size=16).hexdigest()
    return f"{originator_id}:{version}:{digest}"


def stale_because(
    position: int,
    meta: Callable[[str], str | None],
    identity: str | None,
    store: str,
    newest: int,
    applied_last: Callable[[int], str | None],
) -> str | None:
    """Why rows built up to event ``position`` cannot be caught up from this log (None: they can).

    The rows record (``meta``) the log's identity, the store they were read from, and the
    fingerprint of the last event they applied; a log replaced by another (even one starting
    with the same reports), a store that is not the one they were built from, or a log shorter
    than they are, is answered only after a rebuild. ``applied_last(position)`` is the
    fingerprint of the log's event at that position (None if it has none).
    """
    if position == 0:
        return None
    built_from = meta("log_identity")
    if built_from and built_from != identity:
        return "were built from another log"
    built_store = meta("log_store")
    if built_store != store:
        return f"were built from another store ({built_store})"
    if position > newest:
        return f"are ahead of the log (event {position}; the log has {newest})"
    last = applied_last(position)
    if last is None or last != meta("last_event"):
        return f"no longer match the log at event {position} (it was replaced)"
    return None


def current(views: Path, log: Path, store: str) -> Reader | None:
    """The read models at ``views``, open to read, if they hold every event of the SQLite log at
    ``log`` (known to them as ``store``) as it is now; None if a catch-up has anything to do
    (or cannot tell).

    The read-model file's records and the answer then come from one snapshot of it (the
    returned reader holds a read transaction: closing it ends it).
    """
    if classify(log) is not FileKind.LOG or classify(views) is not FileKind.VIEWS:
        return None
    reader = Reader(views)
    try:
        reader.execute("BEGIN")
        if _up_to_date(reader, log, store):
            return reader
    except sqlite3.Error:
        pass  # the long way says what is wrong, or repairs it
    reader.close()
    return None


def _up_to_date(reader: Reader, log: Path, store: str) -> bool:
    meta = dict(reader.execute("SELECT key, value FROM meta").fetchall())
    tracked = reader.execute("SELECT position FROM tracking WHERE name = 'views'").fetchone()
    if meta.get("schema_version") != SCHEMA_VERSION or tracked is None:
        return False
    position = int(tracked[0])
    with closing(sqlite3.connect(str(log), isolation_level=None, timeout=LOCK_TIMEOUT_SECONDS)) as connection:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("BEGIN")
        identity = connection.execute("SELECT value FROM flashpoint_log WHERE key = 'identity'").fetchone()
        newest = int(connection.execute("SELECT max(rowid) FROM stored_events").fetchone()[0] or 0)
        last = connection.execute(
            "SELECT originator_id, originator_version, state FROM stored_events WHERE rowid = ?", [position]
        ).fetchone()
    if meta.get("log_newest") != str(newest):  # events since the last catch-up (of any topic)
        return False
    stale = stale_because(
        position,
        meta.get,
        identity[0] if identity else None,
        store,
        newest,
        lambda _: fingerprint(UUID(last[0]), last[1], last[2]) if last else None,
    )
    return stale is None
