"""eventsourcing's PostgreSQL application recorder, inserting a big batch in chunks.

Imported by eventsourcing only for a PostgreSQL store (through its recorder topic), so
that psycopg is never loaded otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from eventsourcing.utils import retry


class ChunkedPostgresApplicationRecorder(PostgresApplicationRecorder):
    """The stock recorder sends a whole batch as one array parameter in psycopg's pipeline
    mode; with tens of thousands of events that message never finished sending and the
    append hung (psycopg issue 685). Here the batch goes in chunks of 1,000 events, in ONE
    transaction that first takes the same EXCLUSIVE lock on the events table (so
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
