"""flashpoint from Python, for notebooks: ``log = flashpoint.open("flashpoint.db")``.

Every question returns the dict ``--json`` prints for the same command and options (an
:class:`Answer`, a ``dict`` that can also give its rows as a pandas DataFrame). The read
models are caught up first, as on the command line; nothing here answers from a log that
does not exist, and a mistyped day, policy, window or id raises instead of answering:

* :class:`~flashpoint.storage.stores.NoLog` — a question on a log that does not exist;
* :class:`~flashpoint.reports.files.BadReport` — a refused report file (nothing appended);
* :class:`~flashpoint.reports.files.NoInput` — a report file that cannot be read;
* :class:`~flashpoint.nearest.UnknownId` — an incident the log does not hold (the nearest named);
* ``ValueError`` — a day that is not a day, an unknown policy, a window out of range.

Notes an append makes (a new actor near a known name), and a question about a merged or
withdrawn act, are issued as :class:`Notice` warnings, as the CLI says them on stderr.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from datetime import date
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from flashpoint.app import Flashpoint
from flashpoint.domain.dates import cut_day
from flashpoint.domain.estimates import check_policy
from flashpoint.errors import MissingExtra
from flashpoint.projections.casualties import casualties
from flashpoint.projections.changes import changes
from flashpoint.projections.cuts import DEFAULT_WINDOW, Cut
from flashpoint.projections.engine import ReadModels
from flashpoint.projections.escalation import escalation, escalation_summary
from flashpoint.projections.sources import sources
from flashpoint.questions import answered, answering_for
from flashpoint.reports.files import load_all

if TYPE_CHECKING:
    import pandas

T = TypeVar("T")
Day = date | str | None
"""A cut: a ``date``, ``"YYYY-MM-DD"``, or None for everything."""

ROWS = {"escalation": "acts", "casualties": "incidents", "changes": "casualties", "sources": "sources"}
"""The list each answer's :meth:`Answer.to_pandas` gives by default."""


class Notice(UserWarning):
    """Something worth saying beside an answer: a deliberately new actor or a name near a known one
    (append), an incident merged into another or withdrawn at the cut (casualties)."""


class PandasUnavailable(MissingExtra):
    """pandas is not installed."""


class Answer(dict[str, Any]):
    """The ``--json`` answer of one question (a plain ``dict``), and its rows as a DataFrame."""

    def __init__(self, question: str, answer: dict[str, Any]) -> None:
        super().__init__(answer)
        self.question = question

    def to_pandas(self, rows: str | None = None) -> pandas.DataFrame:
        """One row per item of the answer's list ``rows`` (by default the acts of ``escalation``,
        the incidents of ``casualties``, the sources of ``sources``, the casualty changes of
        ``changes``); nested figures become columns such as ``killed_low``, ``killed_best``."""
        key = rows or ROWS.get(self.question)
        if key is None or not isinstance(self.get(key), list):
            lists = ", ".join(name for name, value in self.items() if isinstance(value, list)) or "none"
            raise ValueError(f"rows: {key!r} is not a list of this answer (its lists: {lists})")
        return to_pandas(self[key])


def to_pandas(rows: list[dict[str, Any]]) -> pandas.DataFrame:
    """Rows of an answer as a DataFrame, nested mappings flattened with ``_`` (needs the ``notebook``
    extra); a figure stays a whole number, and a missing one is ``<NA>`` (pandas' nullable types)."""
    try:
        import pandas
    except ImportError:
        raise PandasUnavailable(
            "to_pandas needs pandas, which is not installed: pip install 'flashpoint[notebook]'"
        ) from None
    return pandas.json_normalize(rows, sep="_").convert_dtypes()


class Log:
    """One flashpoint log (a SQLite path or a ``postgresql://`` URL) and its read models.

    Opening creates nothing: a question on a log that does not exist raises ``NoLog``, and the
    first :meth:`append` creates the log. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, location: str | os.PathLike[str], views: str | os.PathLike[str] | None = None) -> None:
        self.location = os.fspath(location)
        self.views = os.fspath(views) if views is not None else None
        self._app: Flashpoint | None = None

    def __repr__(self) -> str:
        return f"flashpoint.open({self.location!r})"

    def __enter__(self) -> Log:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None

    def _log(self, *, create: bool = False) -> Flashpoint:
        if self._app is None:
            self._app = Flashpoint(self.location, create=create)
        return self._app

    def _ask(self, question: Callable[[ReadModels], T]) -> T:
        return answered(self._log(), question, self.views)

    def append(self, *files: str | os.PathLike[str]) -> Answer:
        """Append report files (YAML or JSON), all or nothing: ``append --json``'s answer."""
        batch = load_all([os.fspath(file) for file in files])
        outcome = self._log(create=True).append(batch)
        for note in outcome.notes:
            warnings.warn(note, Notice, stacklevel=2)
        return Answer(
            "append", {"appended": outcome.appended, "unchanged": outcome.unchanged, "events": outcome.events}
        )

    def escalation(
        self, to: Day = None, known_on: Day = None, window: int = DEFAULT_WINDOW, summary: bool = False
    ) -> Answer:
        """``escalation --json``: the acts at their rungs, responses, statements, level, trend, cycles
        (``summary``: level, trend and cycles only)."""
        cut = Cut(_day(to, "to"), _day(known_on, "known_on"), window)
        question = escalation_summary if summary else escalation
        return Answer("escalation", self._ask(lambda views: question(views.db, cut)))

    def casualties(
        self, to: Day = None, known_on: Day = None, incident: str | None = None, policy: str = "conservative"
    ) -> Answer:
        """``casualties --json``: killed and injured per incident and party, low/best/high, disputes
        (``incident``: that act only; a merged act answers for the act it was merged into)."""
        cut = Cut(_day(to, "to"), _day(known_on, "known_on"))
        check_policy(policy)

        def toll(views: ReadModels) -> dict[str, Any]:
            if incident is None:
                return casualties(views.db, cut, policy)
            answering = answering_for(views.db, cut, "incident", incident)
            if answering.merged:
                warnings.warn(f"{incident} is merged into {answering.act}: answering for it", Notice, stacklevel=4)
            elif answering.withdrawn:
                warnings.warn(f"{incident} is withdrawn at this cut: a retraction names it", Notice, stacklevel=4)
            return casualties(views.db, cut, policy, answering.act)

        return Answer("casualties", self._ask(toll))

    def changes(self, since: Day, known_on: Day = None, to: Day = None, window: int = DEFAULT_WINDOW) -> Answer:
        """``changes --json``: every answer that differs between as known on ``since`` and on
        ``known_on`` (default: everything), with the reports that caused each change."""
        earlier = _day(since, "since")
        if earlier is None:
            raise ValueError("since: required, the earlier knowledge cut")
        later, cut_to = _day(known_on, "known_on"), _day(to, "to")
        Cut(cut_to, later, window)  # the window refused before any work
        if later is not None and earlier > later:
            raise ValueError(f"since: {earlier} is after known_on {later}")
        return Answer("changes", self._ask(lambda views: changes(views.db, earlier, later, cut_to, window)))

    def sources(self, to: Day = None, known_on: Day = None, policy: str = "conservative") -> Answer:
        """``sources --json``: each source's track record at the cut, hindsight-free."""
        cut = Cut(_day(to, "to"), _day(known_on, "known_on"))
        check_policy(policy)
        return Answer("sources", self._ask(lambda views: sources(views.db, cut, policy)))


def _day(value: Day, name: str) -> date | None:
    return None if value is None else cut_day(value, name)


def open(location: str | os.PathLike[str], views: str | os.PathLike[str] | None = None) -> Log:
    """The log at ``location`` (a SQLite path or a ``postgresql://`` URL); ``views``: its read-model file."""
    return Log(location, views)
