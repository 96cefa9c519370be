"""A fixed facility and what happened to or at it.

US/coalition sites (the Baghdad Diplomatic Support Center) and militia sites (a
weapons-storage facility on the border) alike: one aggregate per natural name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from flashpoint.domain.actors import Actor, id_key
from flashpoint.domain.claims import CasualtyClaim
from flashpoint.domain.errors import FlashpointError
from flashpoint.domain.ids import natural_id
from flashpoint.domain.report import Envelope


class IncidentNotRecordedHere(FlashpointError):
    """Damage or casualties assessed for an attack this installation has no record of."""


class NotAnAttack(FlashpointError):
    """Only drones, rockets and missiles are recorded as attacks on an installation."""


class Installation(Aggregate):
    if TYPE_CHECKING:
        # Made at run time by @event("Registered") from __init__'s signature; declared here so
        # that type checkers see it (the write path reads the names of registered installations).
        @dataclass(frozen=True)
        class Registered(Aggregate.Created):
            name: str
            side: str
            first_report: str

    @staticmethod
    def create_id(name: str) -> UUID:
        return natural_id("installations", id_key(name))

    @event("Registered")
    def __init__(self, name: str, side: str, first_report: str) -> None:
        self.name = name
        self.side = side
        self.first_report = first_report
        self.incidents: set[str] = set()

    class Attacked(Aggregate.Event):
        """An attack on or at this installation; the subclasses name the kind of weapon.

        Version 2 added ``weapon`` (the weapon as reported, e.g. "one-way attack drone");
        events stored as version 1 are read with ``weapon = None``, never rewritten.
        """

        class_version = 2

        envelope: Envelope
        actor: Actor | None
        targets: list[str]
        target_actors: list[Actor]
        damage: str | None
        weapon: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["weapon"] = None

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Installation)
            aggregate.incidents.add(self.envelope.report_id)

    class DroneAttack(Attacked):
        pass

    class RocketAttack(Attacked):
        pass

    class MissileAttack(Attacked):
        pass

    class ExplosiveAttack(Attacked):
        """An IED, roadside bomb, grenade or suicide bomb (ACLED: Remote explosive/landmine/IED)."""

    def report_attack(
        self,
        kind: str,
        envelope: Envelope,
        actor: Actor | None,
        targets: list[str],
        target_actors: list[Actor],
        damage: str | None,
        weapon: str | None = None,
    ) -> None:
        """Record a drone, rocket, missile or explosive attack (``kind`` as in the report contract)."""
        self.check_attack_kind(kind)
        self.trigger_event(
            ATTACKS[kind],
            envelope=envelope,
            actor=actor,
            targets=targets,
            target_actors=target_actors,
            damage=damage,
            weapon=weapon,
        )

    def report_damage(self, envelope: Envelope, incident: str, damage: str) -> None:
        """A later assessment of an attack recorded here; the attack's own report may carry damage too."""
        self.check_incident_recorded(incident)
        self._assess_damage(envelope=envelope, incident=incident, damage=damage)

    @event("DamageAssessed")
    def _assess_damage(self, envelope: Envelope, incident: str, damage: str) -> None:
        pass

    def report_casualties(self, envelope: Envelope, incident: str, claim: CasualtyClaim) -> None:
        self.check_incident_recorded(incident)
        self.trigger_event(self.CasualtiesReported, envelope=envelope, incident=incident, claim=claim)

    class CasualtiesReported(Aggregate.Event):
        """A claim about the dead or wounded of an attack here; never a fact."""

        envelope: Envelope
        incident: str
        claim: CasualtyClaim

    @event("StatementIssued")
    def issue_statement(
        self, envelope: Envelope, actor: Actor | None, stance: str | None, incident: str | None
    ) -> None:
        pass

    def check_attack_kind(self, kind: str) -> None:
        if kind not in ATTACKS:
            raise NotAnAttack(f"{kind!r} is not an attack on an installation")

    def check_incident_recorded(self, incident: str) -> None:
        if incident not in self.incidents:
            raise IncidentNotRecordedHere(f"{self.name} has no record of incident {incident!r}")


ATTACKS: dict[str, type[Installation.Attacked]] = {
    "drone_attack": Installation.DroneAttack,
    "rocket_attack": Installation.RocketAttack,
    "missile_attack": Installation.MissileAttack,
    "explosive_attack": Installation.ExplosiveAttack,
}
