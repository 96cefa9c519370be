"""flashpoint's recorders: eventsourcing's own, inserting big batches faster or safely.

SQLite: the stock recorder inserts row by row to read back each notification id; here a
batch goes in with one ``executemany`` (same table, same rowid order, same transaction)
and the ids are read back once. Both recorders pass eventsourcing's own recorder
conformance suite (``tests/integration/test_recorder_conformance.py``). PostgreSQL: see
``flashpoint.storage.pgrecorder`` (a module of its own, so that psycopg is only imported
for a PostgreSQL store).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor


class BatchSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any) -> Sequence[int] | None:
        """One ``executemany``; the notification ids are read back as eventsourcing's contract wants.

        The events table has a plain rowid, and this transaction holds the write lock, so the
        batch took the consecutive ids ending at ``last_insert_rowid()``.
        """
        if not stored_events:
            return []
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
        c.execute("SELECT last_insert_rowid()")
        last = int(c.fetchone()[0])
        return list(range(last - len(stored_events) + 1, last + 1))

    def insert_rows(self, rows: Sequence[tuple[str, int, str, bytes]]) -> None:
        """Insert rows already in the table's shape (id hex, version, topic, state), in one transaction."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.executemany(self.insert_events_statement, rows)
