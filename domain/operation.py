"""One military operation, such as the US strikes of 27 June 2021.

Ordered, conducted, justified, concluded; casualty claims and damage about it land here too.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event
from flashpoint.domain.actors import Actor
from flashpoint.domain.claims import CasualtyClaim
from flashpoint.domain.errors import FlashpointError
from flashpoint.domain.ids import natural_id
from flashpoint.domain.report import Envelope


class OperationAlreadyConcluded(FlashpointError):
    """A second conclusion of the same operation."""


class Operation(Aggregate):
    @staticmethod
    def create_id(report_id: str) -> UUID:
        """An operation is named by the report that first describes its strikes."""
        return natural_id("operations", report_id)

    @event("OperationOrdered")
    def __init__(self, report_id: str, envelope: Envelope, actor: Actor | None, ordered_by: str | None) -> None:
        self.report_id = report_id
        self.concluded = False

    @event("AirstrikeConducted")
    def conduct_airstrike(
        self,
        envelope: Envelope,
        actor: Actor | None,
        targets: list[str],
        target_actors: list[Actor],
        aircraft: list[str],
        munitions: list[str],
        damage: str | None,
    ) -> None:
        pass

    @event("JustificationStated")
    def state_justification(self, envelope: Envelope, actor: Actor | None, grounds: list[str]) -> None:
        pass

    def conclude(self, envelope: Envelope, outcome: str) -> None:
        if self.concluded:
            raise OperationAlreadyConcluded(f"operation {self.report_id!r} is already concluded")
        self._conclude(envelope=envelope, outcome=outcome)

    @event("OperationConcluded")
    def _conclude(self, envelope: Envelope, outcome: str) -> None:
        self.concluded = True

    @event("DamageAssessed")
    def report_damage(self, envelope: Envelope, incident: str, damage: str) -> None:
        pass

    def report_casualties(self, envelope: Envelope, incident: str, claim: CasualtyClaim) -> None:
        self.trigger_event(self.CasualtiesReported, envelope=envelope, incident=incident, claim=claim)

    class CasualtiesReported(Aggregate.Event):
        """A claim about the dead or wounded of this operation; never a fact."""

        envelope: Envelope
        incident: str
        claim: CasualtyClaim

    @event("StatementIssued")
    def issue_statement(
        self, envelope: Envelope, actor: Actor | None, stance: str | None, incident: str | None
    ) -> None:
        pass
