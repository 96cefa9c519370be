"""flashpoint's recorders: eventsourcing's own, inserting big batches faster or safely.

SQLite: the stock recorder inserts row by row to return each notification id; flashpoint
never uses those ids when appending, so a batch goes in with one ``executemany`` (same
table, same rowid order, same transaction). PostgreSQL: see ``flashpoint.pgrecorder``
(a module of its own, so that psycopg is only imported for a PostgreSQL store).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
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
