"""The recording desk: which aggregate records which event for each kind of report.

Given validated reports (their ``occurred`` already resolved from their incidents), it
loads or registers the aggregates concerned once per append — so an installation
attacked ten thousand times is loaded once, not per report — triggers the events in
report order and hands them back in that order for one ``save``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate
from flashpoint.domain import (
    Actor,
    Envelope,
    Installation,
    MilitiaGroup,
    Operation,
    Report,
    ReportFiling,
    ReportKind,
    Stance,
)
from flashpoint.domain.report import SPOKEN
from flashpoint.domain.routing import (
    FILING,
    GROUP,
    OPERATION,
    SPEAKER,
    act_home,
    installations_of,
    statement_home,
    target_side,
)

A = TypeVar("A", bound=Aggregate)


class Desk:
    """Records reports on their aggregates; ``events`` holds what to store, in trigger order.

    With ``encode`` (the application's ``mapper.to_stored_event``, or its table-row encoder on
    SQLite) each report's events are encoded as soon as they are triggered and only the
    stored form is kept: a 100,000-report append then holds bytes, not a million live event
    objects, until its one insert.
    """

    def __init__(self, repository: Repository[UUID], encode: Callable[[Any], Any] | None = None) -> None:
        self._repository = repository
        self._encode = encode
        self._loaded: dict[UUID, Aggregate | None] = {}
        self._touched: list[Aggregate] = []
        self._envelope: Envelope | None = None
        self.loaded_versions: dict[UUID, int] = {}
        self.events: list[Any] = []

    # -- aggregates -------------------------------------------------------------------------

    def _get(self, aggregate_id: UUID) -> Aggregate | None:
        if aggregate_id not in self._loaded:
            try:
                found: Aggregate = self._repository.get(aggregate_id)
            except AggregateNotFoundError:
                self._loaded[aggregate_id] = None
            else:
                self._loaded[aggregate_id] = found
                self.loaded_versions[aggregate_id] = found.version
        return self._loaded[aggregate_id]

    def changed(self) -> list[tuple[Aggregate, int]]:
        """Every aggregate this append changed, with its version before the append (0 if new)."""
        return [
            (aggregate, self.loaded_versions.get(aggregate_id, 0))
            for aggregate_id, aggregate in self._loaded.items()
            if aggregate is not None and aggregate.version > self.loaded_versions.get(aggregate_id, 0)
        ]

    def _obtain(self, kind: type[A], aggregate_id: UUID, register: Callable[[], A]) -> A:
        found = self._get(aggregate_id)
        if found is None:
            found = register()
            self._loaded[aggregate_id] = found
        self._touched.append(found)
        assert isinstance(found, kind)
        return found

    def installation(self, name: str, side: str, report: Report) -> Installation:
        return self._obtain(
            Installation,
            Installation.create_id(name),
            lambda: Installation(name=name, side=side, first_report=report.id),
        )

    def group(self, actor: Actor, report: Report) -> MilitiaGroup:
        return self._obtain(
            MilitiaGroup,
            MilitiaGroup.create_id(actor.name),
            lambda: MilitiaGroup(name=actor.name, side=actor.side.value, first_report=report.id),
        )

    def operation(self, report_id: str) -> Operation:
        def refuse() -> Operation:
            raise LookupError(f"operation {report_id!r} is not in the log")

        return self._obtain(Operation, Operation.create_id(report_id), refuse)

    def home_of(self, incident: Report) -> Installation | Operation:
        """Where an act lives; reports about it (casualties, damage, statements) go there too."""
        home = act_home(incident)
        if home.kind == OPERATION:
            return self.operation(home.name)
        return self.installation(home.name, home.side, incident)

    def envelope(self, report: Report) -> Envelope:
        """One envelope object per report, shared by all its events (encoded once, too)."""
        if self._envelope is None or self._envelope.report_id != report.id:
            self._envelope = report.envelope()
        return self._envelope

    def _flush(self) -> list[str]:
        """Move pending events out in trigger order; say which aggregates this report touched."""
        homes: dict[UUID, None] = {}
        for aggregate in self._touched:
            if aggregate.id not in homes:
                homes[aggregate.id] = None
                self._keep(aggregate.collect_events())
        self._touched = []
        return [str(home) for home in homes]

    def take(self) -> list[Any]:
        """The events kept so far, in trigger order; ``events`` starts again empty."""
        events, self.events = self.events, []
        return events

    def _keep(self, events: Iterable[Any]) -> None:
        self.events.extend(map(self._encode, events) if self._encode else events)

    # -- recording ----------------------------------------------------------------------------

    def record(
        self, report: Report, document: Mapping[str, Any], incident: Report | None, filing_id: UUID | None = None
    ) -> None:
        """Trigger every event of one report, then file the report itself."""
        envelope = self.envelope(report)
        homeless = report.kind.is_correction  # about other reports: recorded on its own filing
        if report.kind is ReportKind.AIRSTRIKE:
            self._airstrike(report)
        elif report.kind.is_hostile_act:
            self._attack(report)
        elif report.kind is ReportKind.DAMAGE_ASSESSMENT:
            assert incident is not None and report.damage is not None
            self.home_of(incident).report_damage(envelope=envelope, incident=incident.id, damage=report.damage.value)
        elif report.kind in SPOKEN:
            homeless = self._statement(report, incident)
        if not report.kind.is_hostile_act and report.casualties:
            # Claims in a casualty report (or a statement) are about the act it concerns.
            assert incident is not None
            home = self.home_of(incident)
            for claim in report.casualties:
                home.report_casualties(envelope=envelope, incident=incident.id, claim=claim)
        homes = self._flush()
        kind, filed = report.kind.value, dict(document)
        if not homeless:
            event = ReportFiling.filed(report.id, kind, report.digest, filed, homes, filing_id=filing_id)
            self._keep([event])
            return
        aggregate = ReportFiling(report_id=report.id, kind=kind, digest=report.digest, document=filed, homes=homes)
        self._on_filing(aggregate, report, envelope)
        self._touched.append(aggregate)
        self._flush()

    @staticmethod
    def _on_filing(filing: ReportFiling, report: Report, envelope: Envelope) -> None:
        """The event of a report that only its own filing holds: a retraction, a merge, or a
        statement about no act and no group."""
        if report.kind is ReportKind.RETRACTION:
            filing.retract(envelope=envelope, retracts=report.retracts)
        elif report.kind is ReportKind.MERGE:
            assert report.into is not None  # a merge's into is required
            filing.merge(envelope=envelope, merges=report.merges, into=report.into)
        else:
            stance = report.stance.value if report.stance else None
            filing.issue_statement(envelope=envelope, actor=report.actor, stance=stance, incident=None)

    def _register_parties(self, report: Report) -> None:
        if report.actor is not None and report.actor.is_militia:
            self.group(report.actor, report)
        for actor in report.target_actor:
            if actor.is_militia:
                self.group(actor, report)

    def _attack(self, report: Report) -> None:
        envelope = self.envelope(report)
        self._register_parties(report)
        side = target_side(report)
        for name in installations_of(report)[1:]:
            self.installation(name, side, report)
        home = self.home_of(report)
        assert isinstance(home, Installation)
        home.report_attack(
            kind=report.kind.value,
            envelope=envelope,
            actor=report.actor,
            targets=list(report.target),
            target_actors=list(report.target_actor),
            damage=report.damage.value if report.damage else None,
            weapon=report.weapon,
        )
        for claim in report.casualties:
            home.report_casualties(envelope=envelope, incident=report.id, claim=claim)

    def _airstrike(self, report: Report) -> None:
        envelope = self.envelope(report)
        self._register_parties(report)
        sites = installations_of(report)
        side = target_side(report)
        for name in sites:
            self.installation(name, side, report)
        for actor in report.target_actor:
            if actor.is_militia and sites:
                self.group(actor, report).report_facility_use(envelope=envelope, installations=sites)
        # A new report's operation is new too (the report id names it): nothing to load.
        operation = Operation(report_id=report.id, envelope=envelope, actor=report.actor, ordered_by=report.ordered_by)
        self._loaded[operation.id] = operation
        self._touched.append(operation)
        operation.conduct_airstrike(
            envelope=envelope,
            actor=report.actor,
            targets=list(report.target),
            target_actors=list(report.target_actor),
            aircraft=list(report.aircraft),
            munitions=list(report.munitions),
            damage=report.damage.value if report.damage else None,
        )
        for claim in report.casualties:
            operation.report_casualties(envelope=envelope, incident=report.id, claim=claim)
        if report.outcome:
            operation.conclude(envelope=envelope, outcome=report.outcome)

    def _statement(self, report: Report, incident: Report | None) -> bool:
        """Record a statement or attribution; False when no aggregate but its filing can hold it."""
        envelope = self.envelope(report)
        stance = report.stance.value if report.stance else None
        incident_id = incident.id if incident else report.incident
        home = statement_home(report, incident)
        if home.kind == SPEAKER:
            assert home.actor is not None
            self._group_statement(self.group(home.actor, report), report, incident_id)
        elif home.kind == GROUP:
            assert home.actor is not None
            self.group(home.actor, report).issue_statement(
                envelope=envelope, actor=report.actor, stance=stance, incident=None
            )
        elif home.kind == FILING:
            return True
        else:
            assert incident is not None
            at = self.home_of(incident)
            if isinstance(at, Operation) and report.stance is Stance.JUSTIFICATION:
                at.state_justification(envelope=envelope, actor=report.actor, grounds=list(report.grounds))
            else:
                at.issue_statement(envelope=envelope, actor=report.actor, stance=stance, incident=incident_id)
        return False

    def _group_statement(self, group: MilitiaGroup, report: Report, incident: str | None) -> None:
        envelope = self.envelope(report)
        actor = report.actor
        assert actor is not None
        if report.kind is ReportKind.ATTRIBUTION:
            group.attribute_attack(envelope=envelope, incident=incident, actor=actor)
        elif report.stance is Stance.VOW_REVENGE:
            group.vow_revenge(envelope=envelope, actor=actor, incident=incident)
        elif report.stance is Stance.CLAIM_OF_RESPONSIBILITY:
            group.claim_responsibility(envelope=envelope, actor=actor, incident=incident)
        else:
            stance = report.stance.value if report.stance else None
            group.issue_statement(envelope=envelope, actor=actor, stance=stance, incident=incident)
