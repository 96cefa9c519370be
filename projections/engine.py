"""The projection engine: a pull loop from the event log into the read-model database.

eventsourcing's ``ProjectionRunner`` needs subscriptions, which its SQLite store does not
implement, so the loop pulls ``recorder.select_notifications(start, limit)`` itself. Each
batch of rows is written together with the tracking position in ONE transaction, under
``BEGIN IMMEDIATE`` so that concurrent catch-ups serialise: a crash or a second process
can never apply an event twice or skip one.

The read-model database is disposable: delete it and the next query rebuilds it. A
change of :data:`SCHEMA_VERSION`, or a different log behind the same file, also rebuilds.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from eventsourcing.utils import get_topic
from flashpoint.domain import Installation, MilitiaGroup, Operation, ReportFiling
from flashpoint.domain.errors import FlashpointError
from flashpoint.projections import casualties, escalation, spans
from flashpoint.projections.reading import (
    LOCK_TIMEOUT_SECONDS,
    SCHEMA_VERSION,
    fingerprint,
    stale_because,
    views_path_for,
)
from flashpoint.projections.sqlite_files import VIEWS_APPLICATION_ID, FileKind, classify
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

__all__ = ["SCHEMA_VERSION", "NotReadModels", "ReadModels", "views_path_for"]

BATCH = 5000
"""Events per catch-up transaction: at a million reports, 1,000 spent a fifth of a rebuild
committing index pages that the next batch dirtied again; 5,000 cost 11 MiB more memory."""
CHECKPOINT_PAGES = 10_000
"""WAL pages (40 MiB) before SQLite copies them into the read-model file (default 1,000)."""

Row = tuple[str, dict[str, Any]]
Handler = Callable[[int, Any], Iterable[Row]]
Progress = Callable[[int, int], None]
Notice = Callable[[str], None]
OPENABLE = (FileKind.MISSING, FileKind.EMPTY, FileKind.BLANK, FileKind.VIEWS)

HANDLERS: dict[str, Handler] = {**escalation.HANDLERS, **casualties.HANDLERS, **spans.HANDLERS}


def _handled_topics() -> list[str]:
    """The stored topics of every event class some read model handles (others are not even read)."""
    topics = []
    for aggregate in (Installation, MilitiaGroup, Operation, ReportFiling):
        for name in HANDLERS:
            event_class = getattr(aggregate, name, None)
            if isinstance(event_class, type):
                topics.append(get_topic(event_class))
    return sorted(set(topics))


TOPICS = _handled_topics()

MIGRATIONS = Migrations("flashpoint.views")


@MIGRATIONS(name="0001_read_models")
def _create_tables(db: Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("tracking").create({"name": str, "position": int}, pk="name")
    escalation.create_tables(db)
    casualties.create_tables(db)
    spans.create_tables(db)


class EventSource(Protocol):
    """What the engine needs of the log: eventsourcing's recorder and mapper, its identity and store."""

    @property
    def identity(self) -> str | None: ...

    @property
    def store(self) -> Any: ...

    @property
    def recorder(self) -> Any: ...

    @property
    def mapper(self) -> Any: ...


def _fingerprint(notification: Any) -> str:
    return fingerprint(notification.originator_id, notification.originator_version, notification.state)


class NotReadModels(FlashpointError):
    """A file that is not a flashpoint read-model file: it is never written to, let alone dropped."""

    def __init__(self, path: Path, kind: FileKind) -> None:
        super().__init__(f"{path}: is {kind.value}; read models go only in a flashpoint read-model file or a new path")
        self.path, self.kind = path, kind


class ReadModels:
    """The escalation and casualty tables in their own SQLite file, and their tracking position.

    Only a flashpoint read-model file (or a new path) is opened: any other file is refused
    with :class:`NotReadModels`. ``notice`` hears, in one line, why the read models are rebuilt.
    """

    def __init__(self, path: str | Path, notice: Notice | None = None) -> None:
        self.path = Path(path)
        self.notice = notice
        kind = classify(self.path)
        if kind not in OPENABLE:
            raise NotReadModels(self.path, kind)
        connection = sqlite3.connect(str(self.path), isolation_level=None, timeout=LOCK_TIMEOUT_SECONDS)
        if kind is not FileKind.VIEWS:
            # Marked before WAL mode, so that the id is in the file's header from the start.
            connection.execute(f"PRAGMA application_id = {VIEWS_APPLICATION_ID}")
        connection.execute("PRAGMA journal_mode=WAL")
        # The read models are disposable (rebuilt from the log), so they trade the last
        # fsync for speed; WAL keeps them consistent after a crash either way.
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA cache_size=-16384")
        # A catch-up rewrites the same index pages batch after batch: checkpointing them
        # into the file less often writes each once where it wrote it many times.
        connection.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
        self.db = Database(connection)
        try:
            self._ensure_schema()
        except BaseException:
            connection.close()
            raise

    def _tell(self, why: str) -> None:
        if self.notice is not None:
            self.notice(f"{self.path}: the read models {why}; rebuilding them from the log")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ReadModels:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        if "meta" not in self.db.table_names():
            return None
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [key]))
        return rows[0]["value"] if rows else None

    def _ensure_schema(self) -> None:
        with self._immediate():
            found = self._meta("schema_version")
            if found != SCHEMA_VERSION:
                if found is not None:
                    self._tell(f"are of an older schema ({found}, now {SCHEMA_VERSION})")
                self._drop_everything()
                self.db.execute(f"PRAGMA application_id = {VIEWS_APPLICATION_ID}")
            MIGRATIONS.apply(self.db)
            self.db.table("meta").upsert({"key": "schema_version", "value": SCHEMA_VERSION}, pk="key")

    def _drop_everything(self) -> None:
        for view in self.db.view_names():
            self.db.execute(f"DROP VIEW [{view}]")
        for table in self.db.table_names():
            self.db.execute(f"DROP TABLE [{table}]")

    def reset(self) -> None:
        """Forget every row and the tracking position (the next catch-up rebuilds)."""
        with self._immediate():
            self._recreate()

    def _recreate(self) -> None:
        """Empty tables of the current schema; the caller holds the transaction."""
        spans.forget(self.db)
        self._drop_everything()
        MIGRATIONS.apply(self.db)
        self.db.table("meta").upsert({"key": "schema_version", "value": SCHEMA_VERSION}, pk="key")

    @contextmanager
    def _immediate(self) -> Iterator[None]:
        """A write transaction taken up front, so concurrent catch-ups queue instead of clashing."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.conn.execute("ROLLBACK")
            raise
        self.db.conn.execute("COMMIT")

    # -- tracking ---------------------------------------------------------------------------

    @property
    def position(self) -> int:
        rows = list(self.db.query("SELECT position FROM tracking WHERE name = 'views'"))
        return int(rows[0]["position"]) if rows else 0

    def _stale_because(self, source: EventSource) -> str | None:
        """Why rows built so far cannot be caught up from this log (None: they can): the rule of
        :func:`flashpoint.projections.reading.stale_because`."""

        def applied_last(position: int) -> str | None:
            last = source.recorder.select_notifications(position, 1)
            return _fingerprint(last[0]) if last and last[0].id == position else None

        return stale_because(
            self.position,
            self._meta,
            source.identity,
            source.store.key,
            source.recorder.max_notification_id() or 0,
            applied_last,
        )

    # -- catching up ------------------------------------------------------------------------

    def catch_up(self, source: EventSource, *, progress: Progress | None = None, batch: int = BATCH) -> int:
        """Apply every event recorded after the tracking position; return how many were read."""
        with self._immediate():  # the position and what it records, read in one snapshot
            stale = self._stale_because(source)
            if stale is not None:
                self._tell(stale)
                self._recreate()
        newest = source.recorder.max_notification_id() or 0
        applied = 0
        while True:
            with self._immediate():
                start = self.position
                notifications = source.recorder.select_notifications(start + 1, batch, topics=TOPICS)
                if not notifications:
                    break
                self._apply(source, notifications)
                applied += len(notifications)
            if progress is not None:
                progress(notifications[-1].id, max(newest, notifications[-1].id))
        if self._meta("log_newest") != str(newest):
            with self._immediate():
                self._seen(newest)
        return applied

    def _seen(self, newest: int) -> None:
        """Every event up to ``newest`` is applied (those of topics no read model handles are
        skipped, so the position can stay below it): a question that finds the log still at
        ``newest`` need not open it with eventsourcing (:func:`flashpoint.projections.reading.current`).
        Recorded after the batches: if the log's newest event moved meanwhile, the next question
        takes the long way once more."""
        self.db.table("meta").upsert({"key": "log_newest", "value": str(newest)}, pk="key")

    def _apply(self, source: EventSource, notifications: list[Any]) -> None:
        """Rows and tracking of one batch; the caller holds the transaction."""
        tables: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for notification in notifications:
            handler = HANDLERS.get(notification.topic.rpartition(".")[2])
            if handler is None:
                continue
            event = source.mapper.to_domain_event(notification)
            for table, row in handler(notification.id, event):
                tables[table].append(row)
        for table, rows in tables.items():
            # Rows of one table share their keys: one prepared INSERT for the whole batch.
            columns = list(rows[0])
            statement = (
                f"INSERT INTO [{table}] ({', '.join(f'[{column}]' for column in columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            self.db.conn.executemany(statement, spans.as_tuples(rows, columns))
        spans.after_batch(self.db, notifications[0].id, tables)
        self.db.table("meta").upsert_all(
            [
                {"key": "log_identity", "value": source.identity or ""},
                {"key": "log_store", "value": source.store.key},
                {"key": "last_event", "value": _fingerprint(notifications[-1])},
            ],
            pk="key",
        )
        self.db.table("tracking").upsert({"name": "views", "position": notifications[-1].id}, pk="name")

    def rebuild(self, source: EventSource, *, progress: Progress | None = None) -> int:
        self.reset()
        # Dropped tables leave their pages scattered on the free list; compacting the (now
        # nearly empty) file first lets the rebuild write its tables in order, much faster.
        self.db.execute("VACUUM")
        return self.catch_up(source, progress=progress)

    # -- comparing --------------------------------------------------------------------------

    def table_rows(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every read-model row, table by table, in a stable order: all in memory, so for tests
        of small logs; ``verify`` compares with :meth:`differences_from`, which holds none."""
        contents: dict[str, list[tuple[Any, ...]]] = {}
        for table in (*escalation.TABLES, *casualties.TABLES, *spans.TABLES):
            columns = [column.name for column in self.db[table].columns]
            order = ", ".join(f"[{name}]" for name in columns)
            contents[table] = [tuple(row) for row in self.db.execute(f"SELECT {order} FROM [{table}] ORDER BY {order}")]
        return contents

    def differences_from(self, rebuilt: Path) -> list[TableDifference]:
        """How each table here differs from the read models rebuilt in the file ``rebuilt`` (only
        the tables that do), in the order of :meth:`table_rows`.

        SQLite counts each row's occurrences on both sides with the two files attached side by
        side, sorting in bounded memory and spilling to temporary files, so ``verify`` holds no
        table in memory however long the log. A row is *missing* when the rebuild holds it and no
        equal row is here, counted once per occurrence; *extra* the other way round. A row held
        twice on one side and once on the other makes its table differ, yet is neither. The
        examples are the first missing and the first extra row in the order of all columns.
        """
        self.db.execute("ATTACH DATABASE ? AS rebuilt", [str(rebuilt)])
        try:
            found = (self._difference(table) for table in (*escalation.TABLES, *casualties.TABLES, *spans.TABLES))
            return [difference for difference in found if difference is not None]
        finally:
            self.db.execute("DETACH DATABASE rebuilt")

    def _difference(self, table: str) -> TableDifference | None:
        """One table against the attached rebuild, its columns matched by position (as rows are)."""
        theirs, mine = self._columns("rebuilt", table), self._columns("main", table)
        theirs_listed, mine_listed = ", ".join(theirs), ", ".join(mine)
        rows_rebuilt, rows_here = self.db.execute(
            f"SELECT (SELECT COUNT(*) FROM rebuilt.[{table}]), (SELECT COUNT(*) FROM main.[{table}])"
        ).fetchone()
        if len(theirs) != len(mine):  # no row of one side can equal a row of the other
            if not rows_rebuilt and not rows_here:
                return None
            return TableDifference(
                table,
                rows_rebuilt,
                rows_here,
                rows_rebuilt,
                rows_here,
                self._first("rebuilt", table, theirs_listed),
                self._first("main", table, mine_listed),
            )
        # The compound's columns take the rebuild's names; the two counts' names are no column's.
        counted = self.db.execute(
            f"SELECT {theirs_listed}, SUM([in the rebuild]), SUM([here]) FROM ("
            f"SELECT {theirs_listed}, 1 AS [in the rebuild], 0 AS [here] FROM rebuilt.[{table}] "
            f"UNION ALL SELECT {mine_listed}, 0, 1 FROM main.[{table}]"
            f") GROUP BY {theirs_listed} HAVING SUM([in the rebuild]) != SUM([here]) ORDER BY {theirs_listed}"
        )
        differs, missing, extra = False, 0, 0
        first_missing: tuple[Any, ...] | None = None
        first_extra: tuple[Any, ...] | None = None
        for *row, in_the_rebuild, here in counted:
            differs = True
            if not here:
                missing += in_the_rebuild
                first_missing = first_missing or tuple(row)
            if not in_the_rebuild:
                extra += here
                first_extra = first_extra or tuple(row)
        if not differs:
            return None
        return TableDifference(table, rows_rebuilt, rows_here, missing, extra, first_missing, first_extra)

    def _columns(self, schema: str, table: str) -> list[str]:
        """The table's columns in ``schema`` (``main`` or the attached rebuild), in order, quoted."""
        return [f"[{row[1]}]" for row in self.db.execute(f"PRAGMA {schema}.table_info([{table}])")]

    def _first(self, schema: str, table: str, columns: str) -> tuple[Any, ...] | None:
        row = self.db.execute(f"SELECT {columns} FROM {schema}.[{table}] ORDER BY {columns} LIMIT 1").fetchone()
        return None if row is None else tuple(row)


@dataclass(frozen=True)
class TableDifference:
    """How one table of incremental read models differs from a rebuild of them (``verify``)."""

    table: str
    rows_rebuilt: int
    rows_incremental: int
    missing: int
    extra: int
    first_missing: tuple[Any, ...] | None
    first_extra: tuple[Any, ...] | None
