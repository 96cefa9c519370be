"""Answering questions: bring the read models up to date with the log, then ask them.

The CLI calls these; they own the rule that every query first catches up (incrementally,
exactly once) and that ``verify`` compares a from-scratch rebuild with the incremental views.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flashpoint.nearest import UnknownId
from flashpoint.projections.cuts import Cut
from flashpoint.projections.reading import Queries, current
from flashpoint.projections.spans import standing_of
from flashpoint.projections.sqlite_files import (
    VIEWS_APPLICATION_ID,
    FileKind,
    companions,
    damaged,
    header_application_id,
)
from flashpoint.storage.outputs import OutputRefused, Protected, guarded, protected_files
from flashpoint.storage.stores import Store

if TYPE_CHECKING:  # the long way (eventsourcing, sqlite-utils) loads only when a question takes it
    from flashpoint.app import Flashpoint
    from flashpoint.projections.engine import Notice, Progress, ReadModels

T = TypeVar("T")
"""How many of the nearest ids an unknown id's error names."""


def known_act(db: Queries, option: str, act_id: str) -> str:
    """``act_id`` if the read models hold an act of that id (at any cut), else :class:`UnknownId`."""
    if db.execute("SELECT 1 FROM acts WHERE report_id = ?", [act_id]).fetchone():
        return act_id
    acts = (row[0] for row in db.execute("SELECT report_id FROM acts"))
    raise UnknownId("act", act_id, acts, option=option)


@dataclass(frozen=True)
class Answering:
    """Whom a question about one act answers for at a cut: itself, or the act it is merged into."""

    asked: str
    act: str
    withdrawn: bool = False

    @property
    def merged(self) -> bool:
        return self.act != self.asked


def answering_for(db: Queries, cut: Cut, option: str, act_id: str) -> Answering:
    """The act a question about ``act_id`` answers for at the cut (:class:`UnknownId` naming
    ``option`` when the log holds no such act): ``into`` for a merged act, with the withdrawn ones said."""
    known_act(db, option, act_id)
    standing = standing_of(db, cut.known_text, act_id)
    if standing.into is not None:
        return Answering(act_id, standing.into)
    return Answering(act_id, act_id, withdrawn=standing.withdrawn)


def views_for(app: Flashpoint, views_path: str | None) -> Path:
    return Path(views_path) if views_path else app.store.default_views(app.identity)


def _log_files(app: Flashpoint) -> list[Protected]:
    return [] if app.store.is_postgres or app.store.in_memory else protected_files(app.store.location)


def open_read_models(app: Flashpoint, views_path: str | None = None, notice: Notice | None = None) -> ReadModels:
    """The log's read-model file, refusing (:class:`OutputRefused`) any file that is not flashpoint's own.

    A damaged read-model file is removed and rebuilt, with a notice: one whose header says it
    is flashpoint's, or any damaged file at the default path beside the log. Anything else
    (the log itself, another log, a replay, another application's database) is never touched.
    """
    path = views_for(app, views_path)
    guarded(path, _log_files(app))  # never the log, its -wal or -shm, nor a device
    if not views_path:
        path.parent.mkdir(parents=True, exist_ok=True)
    ours = not views_path or header_application_id(path) == VIEWS_APPLICATION_ID
    from flashpoint.projections.engine import NotReadModels, ReadModels

    try:
        return ReadModels(path, notice)
    except NotReadModels as error:
        if error.kind not in (FileKind.CORRUPT, FileKind.NOT_SQLITE) or not ours:
            advice = "; delete it if it is a damaged read-model file" if error.kind is FileKind.CORRUPT else ""
            raise OutputRefused(f"{error}{advice}") from None
        return _replaced(path, notice, "is damaged")
    except sqlite3.DatabaseError as error:
        if not damaged(error) or not ours:
            raise
        return _replaced(path, notice, f"is damaged ({error})")


def _replaced(path: Path, notice: Notice | None, why: str) -> ReadModels:
    from flashpoint.projections.engine import ReadModels

    if notice is not None:
        notice(f"{path}: the read-model file {why}; rebuilding it from the log")
    for file in companions(path):
        file.unlink(missing_ok=True)
    return ReadModels(path, notice)


def caught_up(
    app: Flashpoint, views_path: str | None = None, progress: Progress | None = None, notice: Notice | None = None
) -> ReadModels:
    """The read models, caught up with every event in the log (rebuilt once if found damaged)."""
    views = open_read_models(app, views_path, notice)
    views, _ = _once_more_if_damaged(
        app, views, lambda models: models.catch_up(app, progress=progress), progress, notice
    )
    return views


@dataclass(frozen=True)
class Now(Generic[T]):
    """An answer given without catching up (there was nothing to catch up)."""

    answer: T


def answered_now(store: Store, views_path: str | None, question: Callable[[Queries], T]) -> Now[T] | None:
    """``question`` asked of the read models at once, if they already hold every event of the
    store's SQLite log (:func:`flashpoint.projections.reading.current`: the log is read with plain
    SQLite, never with eventsourcing); None otherwise, and then :func:`answered` takes the long
    way (catching up, rebuilding a damaged file, or refusing, with its messages)."""
    if store.is_postgres or store.in_memory:
        return None
    reader = current(Path(views_path) if views_path else store.default_views(None), Path(store.location), store.key)
    if reader is None:
        return None
    try:
        return Now(question(reader))
    except sqlite3.DatabaseError:
        return None  # a damaged page: the long way rebuilds the file and asks again
    finally:
        reader.close()


def answered(
    app: Flashpoint,
    question: Callable[[ReadModels], T],
    views_path: str | None = None,
    progress: Progress | None = None,
    notice: Notice | None = None,
) -> T:
    """``question`` asked of the caught-up read models; asked again after one rebuild if a page of
    the read-model file turns out damaged while answering."""
    views, answer = _once_more_if_damaged(app, caught_up(app, views_path, progress, notice), question, progress, notice)
    views.close()
    return answer


def _once_more_if_damaged(
    app: Flashpoint,
    views: ReadModels,
    step: Callable[[ReadModels], T],
    progress: Progress | None,
    notice: Notice | None,
) -> tuple[ReadModels, T]:
    """``step`` on ``views``; if SQLite finds the file damaged meanwhile, the file is rebuilt from the
    log (with a notice) and ``step`` runs once more. The read models returned are open; on any
    failure they are closed."""
    try:
        try:
            return views, step(views)
        except sqlite3.DatabaseError as error:
            if not damaged(error):
                raise
            views.close()
            views = _replaced(views.path, notice, f"is damaged ({error})")
            views.catch_up(app, progress=progress)
            return views, step(views)
    except BaseException:
        views.close()
        raise


@dataclass
class Verification:
    differences: list[str] = field(default_factory=list)
    invalid_reports: list[str] = field(default_factory=list)
    events: int = 0
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not self.differences and not self.invalid_reports


def verify(
    app: Flashpoint, views_path: str | None = None, progress: Progress | None = None, notice: Notice | None = None
) -> Verification:
    """Rebuild from scratch beside the incremental views and compare them table by table.

    Also re-validate every stored report against the current contract.
    """
    from flashpoint.domain import parse_report
    from flashpoint.projections.engine import ReadModels

    result = Verification()
    with caught_up(app, views_path, progress, notice) as incremental, tempfile.TemporaryDirectory() as scratch:
        with ReadModels(Path(scratch) / "rebuild.db") as rebuilt:
            result.events = rebuilt.rebuild(app, progress=progress)
        for found in incremental.differences_from(rebuilt.path):  # compared in SQLite, no table held
            result.differences.append(
                f"{found.table}: {found.rows_rebuilt} rows rebuilt, {found.rows_incremental} incremental; "
                f"{found.missing} missing, {found.extra} extra"
                + (f"; e.g. missing {found.first_missing!r}" if found.missing else "")
                + (f"; e.g. extra {found.first_extra!r}" if found.extra else "")
            )
        if result.differences:
            incremental.rebuild(app, progress=progress)  # repaired, so the next answer is right
            result.repaired = True
    for event in app.filed_reports():  # streamed a batch at a time; only the refusals are kept
        try:
            parse_report(event.document)
        except ValueError as error:
            result.invalid_reports.append(f"report {event.report_id}: {error}")
    return result


def as_of(value: Any) -> Any:
    """The day of a cut option (a date, or a datetime from a ``click.DateTime`` option); None stays None."""
    return value.date() if isinstance(value, datetime) else value
