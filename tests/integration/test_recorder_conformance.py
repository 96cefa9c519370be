"""flashpoint's recorders keep eventsourcing's recorder contract: its own conformance suite.

``eventsourcing.tests.persistence.ApplicationRecorderTestCase`` is the suite eventsourcing
runs against its SQLite and PostgreSQL recorders; here it runs against flashpoint's
subclasses of them (one ``executemany`` per batch on SQLite, chunked inserts on PostgreSQL).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.tests.persistence import ApplicationRecorderTestCase
from flashpoint.storage.recorder import BatchSQLiteApplicationRecorder

from ..conftest import postgres_url, scratch_postgres_log


class TestBatchSQLiteApplicationRecorder(ApplicationRecorderTestCase[BatchSQLiteApplicationRecorder]):
    def setUp(self) -> None:
        self._directory = tempfile.TemporaryDirectory()
        self.db_name = str(Path(self._directory.name) / "log.db")

    def tearDown(self) -> None:
        self._directory.cleanup()

    def create_recorder(self) -> BatchSQLiteApplicationRecorder:
        recorder = BatchSQLiteApplicationRecorder(SQLiteDatastore(db_name=self.db_name))
        recorder.create_table()
        return recorder


@pytest.mark.skipif(
    postgres_url() is None, reason="PostgreSQL tests need FLASHPOINT_TEST_POSTGRES (.ci/run starts one)"
)
class TestChunkedPostgresApplicationRecorder(ApplicationRecorderTestCase[Any]):
    EXPECT_CONTIGUOUS_NOTIFICATION_IDS = False  # PostgreSQL sequences may skip ids, as eventsourcing says

    def setUp(self) -> None:
        self._scratch = scratch_postgres_log()
        self.location = self._scratch.__enter__()

    def tearDown(self) -> None:
        self._scratch.__exit__(None, None, None)

    def create_recorder(self) -> Any:
        from eventsourcing.postgres import PostgresDatastore
        from flashpoint.storage.pgrecorder import ChunkedPostgresApplicationRecorder
        from flashpoint.storage.stores import parse_store

        settings = dict(parse_store(self.location).settings)
        datastore = PostgresDatastore(
            dbname=settings["POSTGRES_DBNAME"],
            host=settings["POSTGRES_HOST"],
            port=settings["POSTGRES_PORT"],
            user=settings["POSTGRES_USER"],
            password=settings["POSTGRES_PASSWORD"],
            schema=settings["POSTGRES_SCHEMA"],
        )
        with parse_store(self.location).opening():  # the schema
            recorder = ChunkedPostgresApplicationRecorder(datastore, events_table_name="flashpoint_events")
            recorder.create_table()
        return recorder
