"""The write path: the one way reports get into the log.

``Flashpoint.append`` takes validated reports (from any number of files), refuses the
whole batch if any report conflicts with the log, names an unknown incident or response,
or misspells a known actor, and otherwise stores every event of every new report in ONE transaction. Reports already
in the log with identical content are skipped, so re-appending a file is a no-op.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError, JSONTranscoder, OperationalError, Transcoder
from eventsourcing.utils import get_topic
from flashpoint.desk import Desk
from flashpoint.domain import (
    CasualtyClaim,
    Envelope,
    Installation,
    InvalidValue,
    Operation,
    Report,
    ReportConflict,
    ReportFiling,
    Source,
    parse_report,
)
from flashpoint.domain.corrections import Correction, Corrections
from flashpoint.domain.errors import FlashpointError
from flashpoint.domain.names import NameJudge, Roster, logged_actors
from flashpoint.domain.report import REPORT_FIELDS
from flashpoint.domain.resolution import check_correction, check_responses, concerning, including, is_new
from flashpoint.projections.sqlite_files import FileKind
from flashpoint.reports.files import BadFile, BadReport, Submitted
from flashpoint.storage import transcodings
from flashpoint.storage.gcpause import paused_gc
from flashpoint.storage.outputs import refuse_unless_log
from flashpoint.storage.recorder import BatchSQLiteApplicationRecorder
from flashpoint.storage.sinks import CollectedSink, EventSink, StreamedSink
from flashpoint.storage.stores import (
    DEFAULT_DB,
    Store,
    distinct_json,
    ensure_identity,
    first_events,
    parse_store,
    read_identity,
)

LOCK_TIMEOUT_SECONDS = 60
MAX_ATTEMPTS = 20
SNAPSHOT_EVERY = 500
READ_BATCH = 1000
PROGRESS_EVERY = 500
STREAM_EVERY = 1000
WRITER_PROCESS_FROM = 2000
Progress = Callable[[int, int], None]


def lock_timeout() -> int:
    """Seconds a writer waits for SQLite's write lock (``FLASHPOINT_LOCK_TIMEOUT``, default 60)."""
    try:
        return max(1, int(os.environ.get("FLASHPOINT_LOCK_TIMEOUT", LOCK_TIMEOUT_SECONDS)))
    except ValueError:
        return LOCK_TIMEOUT_SECONDS


class WriterContention(FlashpointError):
    """Other writers kept changing the same aggregates; the append was not stored."""


@dataclass
class AppendOutcome:
    appended: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    events: int = 0
    attempts: int = 1
    notes: list[str] = field(default_factory=list)
    """One line each, for stderr: deliberately new actors and new installations near known names."""


@dataclass(frozen=True)
class LoggedEvent:
    """One stored event as the audit trail shows it."""

    position: int
    report_id: str | None
    event: str
    aggregate: str
    aggregate_id: str
    version: int
    recorded_at: datetime
    state: dict[str, Any]
    sources: tuple[Source, ...] = ()
    """The sources of the event's report (none for a registration, which records an installation or a group)."""
    claim_source: Source | None = None
    """Who made the claim, for a casualty claim."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "report_id": self.report_id,
            "event": self.event,
            "aggregate": self.aggregate,
            "aggregate_id": self.aggregate_id,
            "version": self.version,
            "recorded_at": self.recorded_at.isoformat(),
            "sources": [source.as_dict() for source in self.sources],
            "claim_source": None if self.claim_source is None else self.claim_source.as_dict(),
        }


def once_each(batch: Sequence[Submitted]) -> list[Submitted]:
    """The batch with each report in it once: the same report submitted twice (the same
    content in two files, say) is one report to append, as it would be across two appends.

    The same id with different content twice in one append is refused, naming both files:
    which version is meant is not for the log to guess, and storing both is a clash.
    """
    first: dict[str, Submitted] = {}
    kept: list[Submitted] = []
    for item in batch:
        earlier = first.setdefault(item.report.id, item)
        if earlier is item:
            kept.append(item)
        elif earlier.report.digest != item.report.digest:
            where = "earlier in the same file" if earlier.source == item.source else f"in {earlier.source}"
            if earlier.label != item.report.id:
                where += f" (as {earlier.label})"
            raise item.refuse(
                "id",
                f"{item.report.id!r} is also {where} with different content; an append takes one version of a report",
            )
    return kept


class Flashpoint(Application[UUID]):
    """The event-sourced log of reported acts, claims and statements."""

    name = "flashpoint"
    is_snapshotting_enabled = True
    writer_process_from = WRITER_PROCESS_FROM
    """Appends of at least this many new reports stream their events to a writer process (SQLite files)."""

    def __init__(self, store: str | Path | Store = DEFAULT_DB, *, create: bool = True) -> None:
        """The log in a SQLite file (a path) or a PostgreSQL database (a ``postgresql://`` URL).

        With ``create`` false (every command that only reads) a log that does not exist is
        refused with :class:`~flashpoint.storage.stores.NoLog`, and nothing is created.
        """
        self.store = store if isinstance(store, Store) else parse_store(store)
        if not self.store.is_postgres and not self.store.in_memory:
            found = refuse_unless_log(self.store.location)  # refuses what is not a log, whatever create says
            if found is not FileKind.LOG and not create:
                raise self.store.no_log()
        self.db_path = self.store.display
        self.lock_timeout = lock_timeout()
        with self.store.opening(create) as create_tables:
            super().__init__(env=self.store.env(self.lock_timeout, create_tables))
        self._identity = read_identity(self.recorder)
        if self._identity is None and self.recorder.max_notification_id() is None:
            self.ensure_identity()  # a new log is given its identity as it is created

    @property
    def identity(self) -> str | None:
        """A random id given to the log when it was created; read models record it, so they
        never answer for another log. None for a log written before identities, until its next write."""
        if self._identity is None:
            self._identity = read_identity(self.recorder)
        return self._identity

    def ensure_identity(self) -> str:
        if self._identity is None:
            self._identity = ensure_identity(self.recorder)
        return self._identity

    def construct_transcoder(self) -> Transcoder:
        transcoder = transcodings.FastJSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder)

    # -- write ------------------------------------------------------------------------------

    def append(self, batch: Sequence[Submitted], progress: Progress | None = None) -> AppendOutcome:
        """Store the new reports of ``batch`` atomically; retry when another writer got there first.

        A version clash (another process saved one of the same aggregates, or filed one of
        the same reports, since we read them) is retried from scratch, reloading everything;
        after :data:`MAX_ATTEMPTS` clashes, or when the SQLite write lock is not granted within
        the lock timeout, nothing is stored and :class:`WriterContention` says why.
        ``progress(done, total)`` hears how many new reports are recorded, then stored.
        """
        batch = once_each(batch)
        started = time.monotonic()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with paused_gc():
                    outcome = self._append_once(batch, progress)
            except IntegrityError:
                time.sleep(random.uniform(0.01, min(0.05 * attempt, 1.0)))
                continue
            except OperationalError as error:
                if not any(word in str(error) for word in ("locked", "busy", "lock timeout")):
                    raise
                raise WriterContention(
                    f"the log is locked by another writer; gave up after waiting {time.monotonic() - started:.0f} s "
                    "(set FLASHPOINT_LOCK_TIMEOUT to wait longer)"
                ) from None
            outcome.attempts = attempt
            return outcome
        raise WriterContention(
            f"gave up after {MAX_ATTEMPTS} attempts: other writers kept changing the same records at the same time"
        )

    def _append_once(self, batch: Sequence[Submitted], progress: Progress | None = None) -> AppendOutcome:
        """One attempt; ``batch`` holds each report id once (:func:`once_each`)."""
        outcome = AppendOutcome()
        in_batch = {item.report.id: item.report for item in batch}
        new: list[Submitted] = []
        filing_ids = {item.report.id: ReportFiling.create_id(item.report.id) for item in batch}
        filed_digests = self.filed_digests(list(filing_ids), filing_ids)
        for item in batch:
            try:
                fresh = is_new(item.report, filed_digests.get(item.report.id))
            except ReportConflict as refusal:
                raise item.refuse(refusal.field, refusal.message) from None
            if fresh:
                new.append(item)
            else:
                outcome.unchanged.append(item.report.id)
        outcome.notes, new = self._judged(new, in_batch)
        if new:
            self.ensure_identity()  # a log written before identities gets one on its next write
        rows = self._rows_wanted()
        desk = Desk(self.repository, encode=self._row if rows else self.mapper.to_stored_event)
        # Acts first, so that a report about an act later in the same file finds it recorded.
        new.sort(key=lambda item: not item.report.kind.is_hostile_act)
        with self._sink(rows, len(new)) as sink:
            for done, item in enumerate(new):
                report, incident = self._resolve(item, in_batch)
                try:
                    desk.record(report, item.document, incident, filing_ids[report.id])
                except FlashpointError as refusal:  # an aggregate's guard: the report, not a bug
                    raise item.refuse(getattr(refusal, "field", None), str(refusal)) from None
                outcome.appended.append(report.id)
                if len(desk.events) >= STREAM_EVERY:
                    outcome.events += sink.write(desk.take())
                if progress is not None and done % PROGRESS_EVERY == 0:
                    progress(done, len(new))
            outcome.events += sink.write(desk.take())
            if outcome.events:
                sink.commit()
        if outcome.events:
            self._snapshot(desk)
        if progress is not None:
            progress(len(new), len(new))
        return outcome

    def _sink(self, rows: bool, reports: int) -> EventSink:
        """Where this append's events go: a writer process for a big SQLite append, else this process."""
        recorder = self.recorder
        if (
            rows
            and isinstance(recorder, BatchSQLiteApplicationRecorder)
            and reports >= self.writer_process_from
            and not self.store.in_memory
            and sys.executable
        ):
            statement = recorder.insert_events_statement
            with contextlib.suppress(OSError):  # no process to be had: insert from here
                return StreamedSink(self.store.location, self.lock_timeout, statement)
        return CollectedSink(self.recorder, rows)

    def _rows_wanted(self) -> bool:
        """Whether events can go to the recorder as bare rows (flashpoint's SQLite recorder, plain JSON)."""
        return (
            isinstance(self.recorder, BatchSQLiteApplicationRecorder)
            and self.mapper.compressor is None
            and self.mapper.cipher is None
        )

    def _row(self, event: Any) -> tuple[str, int, str, bytes]:
        """``mapper.to_stored_event`` as the table row it becomes, without the StoredEvent in between."""
        state = dict(vars(event))
        originator_id = state.pop("originator_id")
        version = state.pop("originator_version")
        class_version = getattr(type(event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return originator_id.hex, version, get_topic(type(event)), self.mapper.transcoder.encode(state)

    def _snapshot(self, desk: Desk) -> None:
        """Snapshot each aggregate whose version crossed a multiple of :data:`SNAPSHOT_EVERY`.

        An installation attacked a hundred thousand times is then loaded from its last
        snapshot and at most that many events, not replayed from its first. Snapshots are a
        cache beside the log: taken after the append committed, in their own transaction; a
        failure (another writer took the same one) loses nothing.
        """
        due = [
            Snapshot.take(aggregate)
            for aggregate, before in desk.changed()
            if aggregate.version // SNAPSHOT_EVERY > before // SNAPSHOT_EVERY
        ]
        if due and self.snapshots is not None:
            with contextlib.suppress(IntegrityError, OperationalError):
                self.snapshots.put(due)

    def _resolve(self, item: Submitted, in_batch: dict[str, Report]) -> tuple[Report, Report | None]:
        """The act a report concerns (in this append or the log), and the report as it concerns it
        (:func:`flashpoint.domain.resolution.concerning` decides)."""
        report = item.report
        incident = None
        if report.incident is not None:
            incident = in_batch.get(report.incident) or self.report(report.incident)
        try:
            return concerning(report, incident), incident
        except InvalidValue as refusal:
            raise item.refuse(refusal.field, refusal.message) from None

    def _judged(self, new: Sequence[Submitted], in_batch: dict[str, Report]) -> tuple[list[str], list[Submitted]]:
        """Refuse, before anything is recorded, responses to reports that are nowhere or came later
        (:func:`~flashpoint.domain.resolution.check_responses`), retractions and merges naming
        what they may not (:func:`~flashpoint.domain.resolution.check_correction`) and bare near-misses of known
        actors (:mod:`flashpoint.domain.names`), every one found at once; the notes for the new
        names let through, and the reports with each bare name of a declared actor resolved to
        that actor.

        The log is read once per append at most: the reports answered or corrected in one query
        per 500 ids; the log's retractions and merges only when the append holds one; the log's
        actor and installation names only when a name is new to what is known.
        """
        named = {
            report_id
            for item in new
            for report_id in (*item.report.responds_to, *item.report.corrected)
            if report_id not in in_batch
        }
        answerable = {**self.reports(sorted(named)), **in_batch}
        correcting = any(item.report.kind.is_correction for item in new)
        corrections = including(self._logged_corrections(), in_batch.values()) if correcting else Corrections()
        targets = {name for item in new for name in item.report.target}
        actors, declared = logged_actors(self._logged_actor_values)
        judge = NameJudge(
            actors,
            Roster(self._logged_installations_among(targets), self._logged_installation_names),
            declared,
            Roster(load=self._logged_claim_source_names),
        )
        notes: list[str] = []
        refusals: list[BadReport] = []
        judged: list[Submitted] = []
        for item in new:
            try:
                check_responses(item.report, answerable)
                check_correction(item.report, answerable, corrections)
            except InvalidValue as refusal:
                refusals.append(item.refuse(refusal.field, refusal.message))
            try:
                found = judge.judge(item.report, item.document)
            except InvalidValue as refusal:
                refusals.append(item.refuse(refusal.field, refusal.message))
            else:
                notes.extend(item.note(note.field, note.message, note.level) for note in found)
            try:
                report = judge.resolved(item.report, item.document)
            except InvalidValue as refusal:
                refusals.append(item.refuse(refusal.field, refusal.message))
            else:
                if report is not item.report:  # a bare name of a declared actor: that actor
                    item = dataclasses.replace(item, report=report)
                    in_batch[report.id] = report
                judged.append(item)
        if refusals:
            raise BadFile.of(refusals)
        return notes, judged

    def _logged_corrections(self) -> Corrections:
        """Every retraction and merge in the log, retracted or not: one pass over their own events
        (few, and read only for an append that holds a retraction or merge)."""
        found = []
        for notification in self.notifications(topics=CORRECTION_TOPICS):
            event = self.mapper.to_domain_event(notification)
            if isinstance(event, ReportFiling.ReportsRetracted):
                day, report_id = event.envelope.reported.isoformat(), event.envelope.report_id
                found.append(Correction(report_id, day, notification.id, retracts=tuple(event.retracts)))
            elif isinstance(event, ReportFiling.ActsMerged):
                day, report_id = event.envelope.reported.isoformat(), event.envelope.report_id
                merged = tuple(event.merges)
                found.append(Correction(report_id, day, notification.id, merges=merged, into=event.into))
        return Corrections(found)

    def _logged_actor_values(self) -> list[Any]:
        """Every distinct ``actor`` and ``target_actor`` value the log's reports were filed with."""
        rows = self.distinct_stored(FILED_TOPIC, ("$.document.actor", "$.document.target_actor"))
        return [value for row in rows for value in row]

    def _logged_claim_source_names(self) -> list[str]:
        """The name of every distinct source of a claim in the log (on SQLite, one scan per claim topic)."""
        return [
            name for topic in CLAIM_TOPICS for (name,) in self.distinct_stored(topic, ("$.claim._data_.source.name",))
        ]

    def _logged_installation_names(self) -> list[str]:
        return [name for (name,) in self.distinct_stored(INSTALLATION_TOPIC, ("$.name",))]

    def _logged_installations_among(self, names: Iterable[str]) -> list[str]:
        """Those of these target names that name an installation in the log (one indexed query per
        500 names), so that an append naming only those never reads every installation."""
        by_id = {Installation.create_id(name): name for name in names}
        stored = first_events(self.recorder, list(by_id)) or []
        return [by_id[UUID(str(event.originator_id))] for event in stored]

    # -- read ---------------------------------------------------------------------------------

    def distinct_stored(self, topic: str, paths: Sequence[str]) -> list[list[Any]]:
        """The distinct values at these JSON paths (``$.document.actor``) of the stored events with
        ``topic``: one scan inside SQLite for a plain-JSON log, else each such event decoded."""
        if self._rows_wanted():
            found = distinct_json(self.recorder, topic, paths)
            if found is not None:
                return found
        seen: dict[bytes, list[Any]] = {}
        for notification in self.notifications(topics=[topic]):
            state = vars(self.mapper.to_domain_event(notification))
            row = [_at(state, path) for path in paths]
            seen.setdefault(orjson.dumps(row), row)
        return list(seen.values())

    def filed_digests(self, report_ids: Sequence[str], filing_ids: Mapping[str, UUID] | None = None) -> dict[str, str]:
        """The content digest of each of these reports already in the log (absent ones omitted)."""
        return {report_id: filed.digest for report_id, filed in self.filings(report_ids, filing_ids).items()}

    def filed_documents(self, report_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The document each of these reports was filed with (absent ones omitted)."""
        return {report_id: filed.document for report_id, filed in self.filings(report_ids).items()}

    def filings(self, report_ids: Sequence[str], filing_ids: Mapping[str, UUID] | None = None) -> dict[str, Any]:
        """The ``ReportFiled`` event of each of these reports already in the log (absent ones omitted).

        On SQLite and PostgreSQL, one query per 500 ids reads the filings' first events;
        elsewhere, one repository lookup per id. ``filing_ids`` may give their ids, computed already.
        """
        ids = filing_ids or {}
        by_id = {ids.get(report_id) or ReportFiling.create_id(report_id): report_id for report_id in report_ids}
        stored = first_events(self.recorder, list(by_id))
        if stored is None:
            found = {report_id: self.filing(report_id) for report_id in report_ids}
            return {report_id: filing for report_id, filing in found.items() if filing is not None}
        events = map(self.mapper.to_domain_event, stored)
        return {by_id[event.originator_id]: event for event in events}

    def filing(self, report_id: str) -> ReportFiling | None:
        try:
            filing: ReportFiling = self.repository.get(ReportFiling.create_id(report_id))
        except AggregateNotFoundError:
            return None
        assert isinstance(filing, ReportFiling)
        return filing

    def report(self, report_id: str) -> Report | None:
        """A report in the log, re-read from the document it was filed with."""
        filing = self.filing(report_id)
        return None if filing is None else _reread(report_id, filing.document)

    def reports(self, report_ids: Sequence[str]) -> dict[str, Report]:
        """These reports as the log holds them (absent ones omitted), read in one query per 500 ids."""
        return {report_id: _reread(report_id, filed.document) for report_id, filed in self.filings(report_ids).items()}

    def notifications(self, start: int = 1, topics: Sequence[str] = ()) -> Iterator[Any]:
        """Every stored notification (of these topics, or of all) in log order, read in batches
        (never all in memory), not decoded."""
        position = start
        while batch := self.recorder.select_notifications(position, READ_BATCH, topics=topics):
            yield from batch
            position = batch[-1].id + 1

    def stored_events(self, start: int = 1) -> Iterator[tuple[int, Any]]:
        """Every stored event in log order, decoded, streamed in batches (never all in memory)."""
        for notification in self.notifications(start):
            yield notification.id, self.mapper.to_domain_event(notification)

    def audit_trail(self) -> Iterator[LoggedEvent]:
        for position, event in self.stored_events():
            state = dict(vars(event))
            envelope = state.get("envelope")
            report_id = getattr(envelope, "report_id", None) or state.get("report_id") or state.get("first_report")
            aggregate, _, name = type(event).__qualname__.rpartition(".")
            claim = state.get("claim")
            yield LoggedEvent(
                position=position,
                report_id=report_id,
                event=name,
                aggregate=aggregate,
                aggregate_id=str(event.originator_id),
                version=event.originator_version,
                recorded_at=event.timestamp,
                state=state,
                sources=_sources_of(state),
                claim_source=claim.source if isinstance(claim, CasualtyClaim) else None,
            )

    def filed_reports(self) -> Iterator[ReportFiling.ReportFiled]:
        """Every filing in log order; only those events are read and decoded."""
        for notification in self.notifications(topics=[FILED_TOPIC]):
            event = self.mapper.to_domain_event(notification)
            assert isinstance(event, ReportFiling.ReportFiled)
            yield event

    def count_reports(self) -> int:
        """How many reports the log holds: its ReportFiled events, counted without decoding them."""
        return sum(1 for _ in self.notifications(topics=[FILED_TOPIC]))


FILED_TOPIC = get_topic(ReportFiling.ReportFiled)
SOURCES = REPORT_FIELDS["sources"]
INSTALLATION_TOPIC = get_topic(Installation.Registered)
CLAIM_TOPICS = (get_topic(Installation.CasualtiesReported), get_topic(Operation.CasualtiesReported))
CORRECTION_TOPICS = (get_topic(ReportFiling.ReportsRetracted), get_topic(ReportFiling.ActsMerged))


def _reread(report_id: str, document: Mapping[str, Any]) -> Report:
    try:
        return parse_report(document, as_filed=True)
    except ValueError as error:
        raise BadReport("<log>", report_id, None, f"stored report no longer valid: {error}") from None


def _sources_of(state: Mapping[str, Any]) -> tuple[Source, ...]:
    """The sources of a stored event's report: its envelope's, or, for a filing, its document's."""
    envelope = state.get("envelope")
    if isinstance(envelope, Envelope):
        return envelope.sources
    document = state.get("document")
    if isinstance(document, Mapping):
        return tuple(SOURCES.check(document.get("sources") or [], "sources", as_filed=True))
    return ()


def _at(state: Mapping[str, Any], path: str) -> Any:
    """The value at a JSON path such as ``$.document.actor`` in a decoded event's state (None if absent).

    A path through a stored value object (``$.claim._data_.source.name``) reads the decoded
    object's attributes: ``_data_`` is where its fields are stored, and they are its attributes."""
    value: Any = state
    for key in path.removeprefix("$.").split("."):
        if isinstance(value, Mapping):
            value = value.get(key)
        elif not dataclasses.is_dataclass(value):
            value = None
        elif key != "_data_":
            value = getattr(value, key, None)
    return value
