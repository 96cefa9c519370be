"""eventsourcing's PostgreSQL application recorder, inserting a big batch in chunks.

Imported by eventsourcing only for a PostgreSQL store (through its recorder topic), so
that psycopg is never loaded otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, Notification, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier


class ChunkedPostgresApplicationRecorder(PostgresApplicationRecorder):
    """The stock recorder sends a whole batch as one array parameter in psycopg's pipeline
    mode; with tens of thousands of events that message never finished sending and the
    append hung (psycopg issue 685). Here the batch goes in chunks of 1,000 events, in ONE
    transaction that first takes the same EXCLUSIVE lock on the events table (so
    notification ids stay in commit order) — all or nothing, as before.

    Both directions use PostgreSQL's binary format. A chunk goes as four plain arrays (ids,
    versions, topics, states), which psycopg writes in C; the stock array of composite
    values was written in Python, text-escaping every state, and cost more than the rest of
    an append. Notifications are read as tuples, the states as raw bytes, not hex.
    """

    CHUNK = 1000

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        table = SQL("{}.{}").format(Identifier(datastore.schema), Identifier(events_table_name))
        self.insert_chunk_statement = SQL(
            "INSERT INTO {table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(table=table, id_type=Identifier(datastore.originator_id_type))
        columns = "notification_id, originator_id, originator_version, topic, state"
        self._select_from = SQL("SELECT " + columns + " FROM {}").format(table)
        self._selects: dict[tuple[bool, bool, bool, bool], Composed] = {}

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        notification_ids: list[int] = []
        if not stored_events:
            return notification_ids
        with (
            self.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor(binary=True, row_factory=tuple_row) as cursor,
        ):
            self._lock_table(cursor)  # type: ignore[arg-type]  # a cursor of tuples, the lock the same
            self._notify_channel(cursor)  # type: ignore[arg-type]
            for start in range(0, len(stored_events), self.CHUNK):
                chunk = stored_events[start : start + self.CHUNK]
                columns = (
                    [event.originator_id for event in chunk],
                    [event.originator_version for event in chunk],
                    [event.topic for event in chunk],
                    [event.state for event in chunk],
                )
                cursor.execute(self.insert_chunk_statement, columns, prepare=True)
                notification_ids.extend(row[0] for row in cursor.fetchall())
        return notification_ids

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        """The stock query (from ``start``, at most ``limit``, up to ``stop``, of ``topics``), read
        in binary as tuples."""
        params: list[Any] = [value for value in (start, stop) if value is not None]
        if topics:
            params.append(list(topics))
        params.append(limit)
        statement = self._select((start is not None, inclusive_of_start, stop is not None, bool(topics)))
        with (
            self.datastore.get_connection() as connection,
            connection.cursor(binary=True, row_factory=tuple_row) as cursor,
        ):
            cursor.execute(statement, params, prepare=True)
            return [
                Notification(id=id_, originator_id=originator, originator_version=version, topic=topic, state=state)
                for id_, originator, version, topic, state in cursor.fetchall()
            ]

    def _select(self, shape: tuple[bool, bool, bool, bool]) -> Composed:
        """The SELECT for one shape of query (which of start, its inclusion, stop and topics), built once."""
        if shape not in self._selects:
            has_start, inclusive, has_stop, has_topics = shape
            conditions = []
            if has_start:
                conditions.append("notification_id >= %s" if inclusive else "notification_id > %s")
            if has_stop:
                conditions.append("notification_id <= %s")
            if has_topics:
                conditions.append("topic = ANY(%s::text[])")
            where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            self._selects[shape] = self._select_from + SQL(where + " ORDER BY notification_id LIMIT %s")
        return self._selects[shape]
