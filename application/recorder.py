"""flashpoint's recorders: eventsourcing's own, inserting big batches faster or safely.

SQLite: the stock recorder inserts row by row to return each notification id; flashpoint
never uses those ids when appending, so a batch goes in with one ``executemany`` (same
table, same rowid order, same transaction). PostgreSQL: see
:class:`ChunkedPostgresApplicationRecorder`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor


class BatchSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any) -> Sequence[int] | None:
        c.executemany(
            self.insert_events_statement,
            [
                (
                    event.originator_id.hex if isinstance(event.originator_id, UUID) else event.originator_id,
                    event.originator_version,
                    event.topic,
                    event.state,
                )
                for event in stored_events
            ],
        )
        return None

    def insert_rows(self, rows: Sequence[tuple[str, int, str, bytes]]) -> None:
        """Insert rows already in the table's shape (id hex, version, topic, state), in one transaction."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.executemany(self.insert_events_statement, rows)


try:
    from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
    from eventsourcing.utils import retry
except ImportError:  # pragma: no cover - the postgres extra is not installed
    pass
else:

    class ChunkedPostgresApplicationRecorder(PostgresApplicationRecorder):
        """eventsourcing's PostgreSQL application recorder, inserting a big batch in chunks.

        The stock recorder sends a whole batch as one array parameter in psycopg's pipeline
        mode; with tens of thousands of events that message never finished sending and the
        append hung (psycopg issue 685). Here the batch goes in chunks of 1,000 events, in
        ONE transaction that first takes the same EXCLUSIVE lock on the events table (so
        notification ids stay in commit order) — all or nothing, as before.
        """

        CHUNK = 1000

        @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
        def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
            notification_ids: list[int] = []
            if not stored_events:
                return notification_ids
            with (
                self.datastore.get_connection() as connection,
                connection.transaction(),
                connection.cursor() as cursor,
            ):
                self._lock_table(cursor)
                self._notify_channel(cursor)
                for start in range(0, len(stored_events), self.CHUNK):
                    chunk = stored_events[start : start + self.CHUNK]
                    PostgresAggregateRecorder._insert_stored_events(self, cursor, chunk)
                    notification_ids.extend(self._fetch_ids_after_insert_events(cursor, chunk) or ())
            return notification_ids
