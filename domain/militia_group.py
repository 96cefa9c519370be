"""An armed group (Kata'ib Hezbollah, KSS, …): what it used, what it was blamed for, what it said."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event
from flashpoint.domain.actors import Actor, canonical_name, id_key
from flashpoint.domain.ids import natural_id
from flashpoint.domain.report import Envelope


class MilitiaGroup(Aggregate):
    @staticmethod
    def create_id(name: str) -> UUID:
        """Aliases (``KH``, ``Kataib Hezbollah``) land on the same group."""
        return natural_id("militia-groups", id_key(canonical_name(name)))

    @event("Registered")
    def __init__(self, name: str, side: str, first_report: str) -> None:
        self.name = canonical_name(name)
        self.side = side
        self.first_report = first_report
        self.facilities: set[str] = set()

    @event("FacilityUseReported")
    def report_facility_use(self, envelope: Envelope, installations: list[str]) -> None:
        self.facilities.update(installations)

    @event("AttackAttributed")
    def attribute_attack(self, envelope: Envelope, incident: str | None, actor: Actor) -> None:
        pass

    @event("RevengeVowed")
    def vow_revenge(self, envelope: Envelope, actor: Actor, incident: str | None) -> None:
        pass

    @event("ResponsibilityClaimed")
    def claim_responsibility(self, envelope: Envelope, actor: Actor, incident: str | None) -> None:
        pass

    @event("StatementIssued")
    def issue_statement(
        self, envelope: Envelope, actor: Actor | None, stance: str | None, incident: str | None
    ) -> None:
        pass
