"""Which SQLite file is which: the log, a read-model file, a replay, or somebody else's.

flashpoint writes three kinds of SQLite file, and must never write over any other. A
read-model file and a replay carry their own SQLite ``application_id`` (set when the
file is created, before WAL mode, so it is in the main file's header at once); a log is
known by eventsourcing's ``stored_events`` table. Files written before the ids existed are
recognised by their tables.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from enum import Enum
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
VIEWS_APPLICATION_ID = 0x46505657  # "FPVW"
REPLAY_APPLICATION_ID = 0x46505250  # "FPRP"
APPLICATION_ID_OFFSET = 68
COMPANIONS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database while it is in use."""

REPLAY_TABLES = frozenset({"cut", "acts", "responses", "statements", "casualties", "claims", "totals"})
LEGACY_VIEWS_TABLES = frozenset({"meta", "tracking"})


class FileKind(str, Enum):
    MISSING = "missing"
    EMPTY = "empty"  # a file of no bytes: SQLite takes it as a new database
    NOT_REGULAR = "not a regular file"
    NOT_SQLITE = "not a SQLite database"
    CORRUPT = "a damaged SQLite database"
    BLANK = "a SQLite database without tables"
    LOG = "a flashpoint event log"
    VIEWS = "a flashpoint read-model file"
    REPLAY = "a flashpoint replay"
    FOREIGN = "a SQLite database of another application"


def header_application_id(path: str | Path) -> int | None:
    """The ``application_id`` in a SQLite file's header, read without SQLite (None if not SQLite)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(APPLICATION_ID_OFFSET + 4)
    except OSError:
        return None
    if len(header) < APPLICATION_ID_OFFSET + 4 or not header.startswith(SQLITE_MAGIC):
        return None
    return int.from_bytes(header[APPLICATION_ID_OFFSET:], "big")


def classify(path: str | Path) -> FileKind:
    """What the file at ``path`` (symlinks followed) is, opening it read-only if it is SQLite."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return FileKind.MISSING
    if not stat.S_ISREG(status.st_mode):
        return FileKind.NOT_REGULAR
    if status.st_size == 0:
        return FileKind.EMPTY
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError:
        return FileKind.NOT_REGULAR
    if magic != SQLITE_MAGIC:
        return FileKind.NOT_SQLITE
    try:
        connection = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            foreign_events = (
                "stored_events" in tables
                and "flashpoint_log" not in tables
                and bool(
                    connection.execute(
                        "SELECT 1 FROM stored_events WHERE topic NOT LIKE 'flashpoint.%' LIMIT 1"
                    ).fetchall()
                )
            )
            legacy_views = tables >= LEGACY_VIEWS_TABLES and bool(
                connection.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchall()
            )
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError) and not damaged(error):
            raise  # locked, busy, unreadable: not a judgement on the file
        return FileKind.CORRUPT
    if "stored_events" in tables and not foreign_events:
        return FileKind.LOG
    if application_id == VIEWS_APPLICATION_ID or (application_id == 0 and legacy_views):
        return FileKind.VIEWS
    if application_id == REPLAY_APPLICATION_ID or (application_id == 0 and tables >= REPLAY_TABLES):
        return FileKind.REPLAY
    if not tables and application_id == 0:
        return FileKind.BLANK
    return FileKind.FOREIGN


def damaged(error: sqlite3.Error) -> bool:
    """Whether SQLite's error says the file itself is damaged (not locked, busy or unreadable)."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    if not isinstance(error, sqlite3.OperationalError):
        return True  # SQLITE_CORRUPT, SQLITE_NOTADB
    text = str(error).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def companions(path: str | Path) -> list[Path]:
    """The database itself and the files SQLite keeps beside it."""
    base = Path(path)
    return [base, *(base.with_name(base.name + suffix) for suffix in COMPANIONS)]


def companion_of(path: str | Path) -> Path | None:
    """For ``x.db-wal`` (or -shm, -journal) beside an existing ``x.db``: ``x.db``."""
    name = Path(path).name
    for suffix in COMPANIONS:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = Path(path).with_name(name[: -len(suffix)])
            if base.exists():
                return base
    return None


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
