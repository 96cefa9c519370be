"""Where the log lives: a SQLite file (the default) or a shared PostgreSQL database.

Both are eventsourcing's own stores (``eventsourcing.sqlite``, ``eventsourcing.postgres``
with psycopg 3); flashpoint only turns a path or a ``postgresql://`` URL into their
settings, and reads a batch of filings in one query on either.

    flashpoint --store postgresql://analyst:secret@db.example.org:5432/flashpoint?schema=iraq append …

The URL takes ``schema`` (default ``public``) and ``connect_timeout`` (seconds) as query
parameters; a password may also come from ``PGPASSWORD``. The events table is
``<schema>.flashpoint_events``, created on first use.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit, urlunsplit
from uuid import UUID, uuid4

import orjson
from flashpoint.domain.errors import FlashpointError
from flashpoint.errors import MissingExtra
from flashpoint.projections.reading import views_path_for
from flashpoint.projections.sqlite_files import REPLAY_APPLICATION_ID, VIEWS_APPLICATION_ID, header_application_id

if TYPE_CHECKING:
    from eventsourcing.persistence import StoredEvent

SQLITE, POSTGRES = "sqlite", "postgres"
URL_SCHEMES = ("postgresql", "postgres")
IDENTITY_TABLE = "flashpoint_log"
"""Beside eventsourcing's tables: the log's identity, a random id given when the log is created."""
SCENARIO_STORE = "FLASHPOINT_SCENARIO_STORE"
"""A PostgreSQL URL for ``flashpoint check``: each scenario's log gets its own schema there (dropped after)."""
WATCHED_LOG = "FLASHPOINT_CHECK_LOG"
"""The log ``Given the event log`` reads under ``flashpoint check`` (its ``--db``), never writing it."""
WATCHED_VIEWS = "FLASHPOINT_CHECK_VIEWS"
"""That log's read-model file, when ``--views`` names one."""
TABLES = ("flashpoint_events", "flashpoint_snapshots")  # eventsourcing's names for the application "flashpoint"
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


DEFAULT_DB = "flashpoint.db"
"""The log when neither ``--db``, ``--store`` nor ``FLASHPOINT_DB`` names one."""


class BadStore(FlashpointError, ValueError):
    """A store URL flashpoint cannot use; the message says why, without the password."""


class PostgresUnavailable(MissingExtra):
    """A PostgreSQL store was named, but psycopg (the ``postgres`` extra) is not installed."""


class NoLog(FlashpointError):
    """A command that only reads named a log that does not exist (exit 66); nothing was created.

    A query on a mistyped path must not answer "calm" from a new, empty log it just made.
    """

    def __init__(self, display: str, nearest: str | None = None) -> None:
        self.display, self.nearest = display, nearest
        guess = f"did you mean {nearest}? " if nearest else ""
        super().__init__(f"no log at {display} ({guess}create one with flashpoint append or flashpoint demo)")


@dataclass(frozen=True)
class Store:
    """A log's location: ``kind`` is sqlite or postgres; ``location`` a path or a URL."""

    kind: str
    location: str
    settings: tuple[tuple[str, str], ...] = ()

    @property
    def is_postgres(self) -> bool:
        return self.kind == POSTGRES

    @property
    def key(self) -> str:
        """What the read models record as the store they were built from: an absolute path, or the
        URL without its password."""
        return self.display if self.is_postgres or self.in_memory else str(Path(self.location).resolve())

    @property
    def in_memory(self) -> bool:
        """A SQLite database in memory: no other process can reach it."""
        return not self.is_postgres and (":memory:" in self.location or "mode=memory" in self.location)

    @property
    def display(self) -> str:
        """How messages name the store (a URL without its password)."""
        if not self.is_postgres:
            return self.location
        parts = urlsplit(self.location)
        host = parts.hostname or "localhost"
        user = f"{unquote(parts.username)}@" if parts.username else ""
        port = f":{parts.port}" if parts.port else ""
        schema = dict(self.settings).get("POSTGRES_SCHEMA")
        return f"postgresql://{user}{host}{port}{parts.path}" + (f"?schema={schema}" if schema else "")

    def env(self, lock_timeout: int, create_tables: bool = True) -> dict[str, str]:
        """eventsourcing's persistence settings for this store.

        ``create_tables=False`` skips eventsourcing's CREATE TABLE/INDEX IF NOT EXISTS, which
        on PostgreSQL waits for any insert in progress (a SHARE lock on the events table).
        """
        if not self.is_postgres:
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.location,
                "SQLITE_LOCK_TIMEOUT": str(lock_timeout),
                "APPLICATION_RECORDER_TOPIC": "flashpoint.storage.recorder:BatchSQLiteApplicationRecorder",
            }
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_LOCK_TIMEOUT": str(lock_timeout),
            "POSTGRES_POOL_SIZE": "2",
            "POSTGRES_MAX_OVERFLOW": "4",
            "POSTGRES_PRE_PING": "y",
            "CREATE_TABLE": "y" if create_tables else "n",
            "APPLICATION_RECORDER_TOPIC": "flashpoint.storage.pgrecorder:ChunkedPostgresApplicationRecorder",
            **dict(self.settings),
        }

    def no_log(self) -> NoLog:
        """The refusal for a SQLite path that holds no log, naming the log beside it it may have meant."""
        path = Path(self.location)
        try:  # files of the same suffix, compared without it: "nope.db" is not near "other.db"
            names = [entry.name for entry in os.scandir(path.parent) if entry.name != path.name]
        except OSError:
            names = []
        stems = {Path(name).stem: name for name in names if Path(name).suffix == path.suffix}
        for stem in difflib.get_close_matches(path.stem, list(stems), n=5):
            nearby = path.with_name(stems[stem])
            if header_application_id(nearby) not in (None, VIEWS_APPLICATION_ID, REPLAY_APPLICATION_ID):
                return NoLog(self.display, str(nearby))  # read from the header: nothing beside it is opened
        return NoLog(self.display)

    @contextmanager
    def opening(self, create: bool = True) -> Iterator[bool]:
        """Ready the store to be opened; yields whether the log's tables must still be created.

        With ``create`` false, a PostgreSQL schema without the log's events table is refused
        (:class:`NoLog`) and left as it was: a query never creates a log.

        For PostgreSQL: connect once to report a bad address or password plainly (eventsourcing's
        pool would only say that no connection came within the timeout), and create the schema
        and the log's identity. While anything is missing, an advisory lock on the schema is held
        until the caller has created the tables too, so that processes opening a new log at the
        same moment create it one at a time (PostgreSQL's CREATE ... IF NOT EXISTS races otherwise).
        """
        if not self.is_postgres:
            yield True
            return
        try:
            import eventsourcing.postgres  # noqa: F401 - needs psycopg_pool as well as psycopg
            import psycopg
        except ImportError:
            raise PostgresUnavailable(
                "a PostgreSQL store needs psycopg, which is not installed: pip install 'flashpoint[postgres]'"
            ) from None
        schema = dict(self.settings).get("POSTGRES_SCHEMA") or "public"
        try:
            connection = self._connect()
        except psycopg.Error as error:
            raise _plainly(error) from None
        with connection:
            try:
                if self._missing(connection, schema) == 0:
                    yield False
                    return
                if not create and TABLES[0] not in self._tables(connection, schema):
                    raise self._no_postgres_log(connection, schema)
                connection.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"flashpoint:{schema}",))
                from psycopg import sql

                connection.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
                _ensure_postgres_identity(connection, schema)
                missing = self._missing(connection, schema)
            except psycopg.Error as error:
                raise _plainly(error) from None
            yield missing > 0  # the lock is released with the connection

    @classmethod
    def _missing(cls, connection: Any, schema: str) -> int:
        """How many of the log's tables (events, snapshots, identity) the schema lacks."""
        return len({*TABLES, IDENTITY_TABLE} - cls._tables(connection, schema))

    @staticmethod
    def _tables(connection: Any, schema: str) -> set[str]:
        """Which of the log's tables (events, snapshots, identity) the schema holds."""
        rows = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_name = ANY(%s)",
            (schema, [*TABLES, IDENTITY_TABLE]),
        ).fetchall()
        return {row[0] for row in rows}

    def _no_postgres_log(self, connection: Any, schema: str) -> NoLog:
        """The refusal for a schema that holds no log, naming the schema of a log it may have meant."""
        rows = connection.execute(
            "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name = %s", (TABLES[0],)
        ).fetchall()
        nearest = difflib.get_close_matches(schema, [row[0] for row in rows], n=1)
        return NoLog(self.display, f"schema {nearest[0]}" if nearest else None)

    def _connect(self) -> Any:
        import psycopg

        settings = dict(self.settings)
        return psycopg.connect(
            dbname=settings["POSTGRES_DBNAME"],
            host=settings["POSTGRES_HOST"],
            port=settings["POSTGRES_PORT"],
            user=settings["POSTGRES_USER"],
            password=settings["POSTGRES_PASSWORD"],
            connect_timeout=int(settings["POSTGRES_CONNECT_TIMEOUT"]),
            autocommit=True,
        )

    def drop_schema(self) -> None:
        """Drop this store's schema and everything in it (scratch logs of scenarios and tests only)."""
        from psycopg import sql

        schema = dict(self.settings).get("POSTGRES_SCHEMA")
        if not self.is_postgres or not schema:
            raise BadStore("only a PostgreSQL store with its own schema can be dropped")
        with self._connect() as connection:
            connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))

    def default_views(self, identity: str | None) -> Path:
        """Read models live in a local SQLite file: beside a SQLite log; for a PostgreSQL log, in
        the user's cache directory under the log's identity (so two stores never share one)."""
        if self.is_postgres:
            return views_cache_dir() / f"{identity or 'unidentified'}.views.db"
        return views_path_for(self.location)


def _plainly(error: Exception) -> OSError:
    message = " ".join(str(error).split()) or type(error).__name__
    return OSError(message.partition("DETAIL:")[0].strip())


def views_cache_dir() -> Path:
    """``$FLASHPOINT_CACHE`` or ``$XDG_CACHE_HOME/flashpoint`` (default ``~/.cache/flashpoint``)."""
    explicit = os.environ.get("FLASHPOINT_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "flashpoint"


def _ensure_postgres_identity(connection: Any, schema: str) -> None:
    """Give a PostgreSQL log its identity (once; existing logs get one on their next open).

    Called under :meth:`Store.opening`'s advisory lock, so one process at a time.
    """
    from psycopg import sql

    table = sql.Identifier(schema, IDENTITY_TABLE)
    exists = connection.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s", (schema, IDENTITY_TABLE)
    ).fetchone()
    if exists is not None:
        if connection.execute(sql.SQL("SELECT 1 FROM {} WHERE key = 'identity'").format(table)).fetchone():
            return
    else:
        connection.execute(
            sql.SQL("CREATE TABLE IF NOT EXISTS {} (key text PRIMARY KEY, value text NOT NULL)").format(table)
        )
    connection.execute(
        sql.SQL("INSERT INTO {} VALUES ('identity', %s) ON CONFLICT (key) DO NOTHING").format(table), (uuid4().hex,)
    )


def read_identity(recorder: Any) -> str | None:
    """The log's identity, or None for a SQLite log written before identities (until its next write)."""
    from eventsourcing.sqlite import SQLiteDatastore

    datastore = getattr(recorder, "datastore", None)
    if isinstance(datastore, SQLiteDatastore):
        with datastore.transaction(commit=False) as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (IDENTITY_TABLE,))
            if not cursor.fetchall():
                return None
            cursor.execute(f"SELECT value FROM {IDENTITY_TABLE} WHERE key = 'identity'")
            rows = cursor.fetchall()
        return str(rows[0][0]) if rows else None
    from psycopg.sql import SQL, Identifier

    assert datastore is not None, "a recorder of eventsourcing's SQLite or PostgreSQL store"
    query = SQL("SELECT value FROM {} WHERE key = 'identity'").format(Identifier(datastore.schema, IDENTITY_TABLE))
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(query)
        found = cursor.fetchone()
    return str(found["value"]) if found else None


def ensure_identity(recorder: Any) -> str:
    """The log's identity, given now if it has none (a SQLite log written before identities)."""
    from eventsourcing.sqlite import SQLiteDatastore

    identity = read_identity(recorder)
    if identity is not None:
        return identity
    datastore = recorder.datastore
    if isinstance(datastore, SQLiteDatastore):
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {IDENTITY_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            cursor.execute(f"INSERT OR IGNORE INTO {IDENTITY_TABLE} VALUES ('identity', ?)", (uuid4().hex,))
    identity = read_identity(recorder)
    assert identity is not None
    return identity


def parse_store(text: str | Path) -> Store:
    """A SQLite path, or a ``postgresql://user:password@host:port/dbname?schema=name`` URL."""
    location = str(text)
    scheme = location.partition("://")[0].lower() if "://" in location else ""
    if not scheme:
        return Store(SQLITE, location)
    if scheme == "sqlite":
        return Store(SQLITE, location.partition("://")[2])
    if scheme not in URL_SCHEMES:
        raise BadStore(f"{scheme}:// is not a store flashpoint knows (a SQLite path, or postgresql://…)")
    parts = urlsplit(location)
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise BadStore("the PostgreSQL URL names no database (postgresql://user@host:5432/DBNAME)")
    try:
        port = parts.port or 5432
    except ValueError:
        raise BadStore("the PostgreSQL URL has an invalid port") from None
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"schema", "connect_timeout"})
    if unknown:
        raise BadStore(f"unknown PostgreSQL URL parameter {unknown[0]!r} (known: schema, connect_timeout)")
    settings = {
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname or "localhost",
        "POSTGRES_PORT": str(port),
        "POSTGRES_USER": unquote(parts.username) if parts.username else os.environ.get("PGUSER", "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password) if parts.password else os.environ.get("PGPASSWORD", ""),
        "POSTGRES_CONNECT_TIMEOUT": query.get("connect_timeout", "10"),
    }
    schema = query.get("schema")
    if schema is not None:
        if not IDENTIFIER.match(schema):
            raise BadStore(f"schema {schema!r} is not a plain identifier (letters, digits, _)")
        settings["POSTGRES_SCHEMA"] = schema
    if not settings["POSTGRES_CONNECT_TIMEOUT"].isdigit():
        raise BadStore("connect_timeout must be a whole number of seconds")
    return Store(POSTGRES, location, tuple(settings.items()))


def first_events(recorder: Any, originator_ids: Sequence[UUID]) -> list[StoredEvent] | None:
    """The version-1 events of these aggregates in one query per 500, or None if the store is neither."""
    from eventsourcing.persistence import StoredEvent
    from eventsourcing.sqlite import SQLiteDatastore

    datastore = getattr(recorder, "datastore", None)
    found: list[StoredEvent] = []
    if isinstance(datastore, SQLiteDatastore):
        for start in range(0, len(originator_ids), 500):
            chunk = [originator_id.hex for originator_id in originator_ids[start : start + 500]]
            statement = (
                "SELECT originator_id, originator_version, topic, state FROM stored_events "
                f"WHERE originator_version = 1 AND originator_id IN ({','.join('?' * len(chunk))})"
            )
            with datastore.transaction(commit=False) as cursor:
                cursor.execute(statement, chunk)
                rows = cursor.fetchall()
            found.extend(
                StoredEvent(UUID(row["originator_id"]), row["originator_version"], row["topic"], row["state"])
                for row in rows
            )
        return found
    try:
        from eventsourcing.postgres import PostgresDatastore
        from psycopg.sql import SQL, Identifier
    except ImportError:  # pragma: no cover - the postgres extra is not installed
        return None
    if not isinstance(datastore, PostgresDatastore):
        return None
    query = SQL(
        "SELECT originator_id, originator_version, topic, state FROM {schema}.{table} "
        "WHERE originator_version = 1 AND originator_id = ANY(%s)"
    ).format(schema=Identifier(datastore.schema), table=Identifier(recorder.events_table_name))
    for start in range(0, len(originator_ids), 500):
        ids = list(originator_ids[start : start + 500])
        with datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(query, (ids,))
            rows = cursor.fetchall()
        found.extend(
            StoredEvent(row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"]))
            for row in rows
        )
    return found


def distinct_json(recorder: Any, topic: str, paths: Sequence[str]) -> list[list[Any]] | None:
    """The distinct values at these JSON ``paths`` (``$.document.actor``) of the stored events with
    ``topic``, each row a list in the order of ``paths``; None when the store is not SQLite.

    One scan inside SQLite: only the distinct values reach Python, so a 100,000-report log
    holding a dozen actor names hands back a dozen rows. The caller makes sure the stored
    state is plain JSON (no compression, no cipher).
    """
    from eventsourcing.sqlite import SQLiteDatastore

    datastore = getattr(recorder, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore):
        return None
    values = ", ".join("json_extract(state, ?)" for _ in paths)
    statement = (
        f"SELECT DISTINCT json_array({values}) FROM "
        "(SELECT CAST(state AS TEXT) AS state FROM stored_events WHERE topic = ?)"
    )
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, [*paths, topic])
        return [orjson.loads(row[0]) for row in cursor.fetchall()]


def with_schema(url: str, schema: str) -> str:
    """A PostgreSQL URL pointing at another schema of the same database."""
    parts = urlsplit(url)
    query = [(key, value) for key, values in parse_qs(parts.query).items() for value in values if key != "schema"]
    query.append(("schema", schema))
    return urlunsplit(parts._replace(query=urlencode(query)))


def scratch_schema(prefix: str) -> str:
    return f"{prefix}_{uuid4().hex[:16]}"
