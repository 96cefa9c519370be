"""Where an append's encoded events go: every speed trick of the write path behind one seam.

``Flashpoint.append`` hands each batch of encoded events to a sink and commits once. A small
append (or PostgreSQL) collects them and inserts them in one transaction; a big append to a
SQLite file streams them to a writer process (:mod:`flashpoint.storage.writer`) that holds
the one transaction on the second core. Either way: all or nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from eventsourcing.persistence import IntegrityError, OperationalError
from flashpoint.storage.writer import CLASH, WriterFailed, WriterProcess


class EventSink:
    """Takes an append's encoded events in order and stores them all in one transaction at ``commit``."""

    def write(self, events: list[Any]) -> int:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> EventSink:
        return self

    def __exit__(self, *_: object) -> None:
        return None


class CollectedSink(EventSink):
    """Keeps every event, then inserts them in one transaction (small appends; PostgreSQL)."""

    def __init__(self, recorder: Any, rows: bool) -> None:
        self._recorder = recorder
        self._rows = rows
        self._events: list[Any] = []

    def write(self, events: list[Any]) -> int:
        self._events.extend(events)
        return len(events)

    def commit(self) -> None:
        # Straight to the recorder, without save()'s per-object protocol checks and
        # per-event recordings, which cost more than the insert itself.
        if self._rows:
            self._recorder.insert_rows(self._events)
        else:
            self._recorder.insert_events(self._events)


class StreamedSink(EventSink):
    """Streams rows to a :class:`~flashpoint.storage.writer.WriterProcess`; its failures become the recorder's."""

    def __init__(self, db: str, lock_timeout: float, statement: str) -> None:
        with self._as_recorder_errors():
            self._writer = WriterProcess(db, lock_timeout, statement)

    def write(self, events: list[Any]) -> int:
        with self._as_recorder_errors():
            self._writer.write(events)
        return len(events)

    def commit(self) -> None:
        with self._as_recorder_errors():
            self._writer.commit()

    def __exit__(self, *_: object) -> None:
        self._writer.close()

    @staticmethod
    @contextlib.contextmanager
    def _as_recorder_errors() -> Iterator[None]:
        """A clash is retried like the in-process insert's; anything else (a lock not granted
        included: ``append`` reads SQLite's words in the message) is an OperationalError."""
        try:
            yield
        except WriterFailed as failure:
            if failure.kind == CLASH:
                raise IntegrityError(str(failure)) from None
            raise OperationalError(f"writer process: {failure}") from None
