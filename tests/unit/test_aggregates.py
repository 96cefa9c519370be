"""Aggregate rules: natural ids, guards that refuse before any event is triggered."""

from datetime import date

import pytest
from flashpoint.domain import (
    CasualtyClaim,
    Envelope,
    Installation,
    MilitiaGroup,
    Occurred,
    Operation,
    Party,
    Qualifier,
    ReportFiling,
    Source,
)
from flashpoint.domain.installation import IncidentNotRecordedHere, NotAnAttack
from flashpoint.domain.operation import OperationAlreadyConcluded

SOURCE = Source("CENTCOM")


def envelope(report_id: str = "drone-1") -> Envelope:
    return Envelope(report_id, "drone_attack", Occurred.on(date(2024, 1, 28)), date(2024, 1, 28), (SOURCE,))


def test_ids_come_from_natural_names() -> None:
    assert Installation.create_id("Tower 22") == Installation.create_id("  tower 22")
    assert Installation.create_id("Tower 22") != Installation.create_id("Al-Tanf garrison")
    assert ReportFiling.create_id("drone-1") != ReportFiling.create_id("drone-2")
    assert Operation.create_id("us-strikes-2024-02-02") == Operation.create_id("us-strikes-2024-02-02")


def test_an_attack_is_remembered_as_an_incident_of_the_installation() -> None:
    tower = Installation(name="Tower 22", side="us_coalition", first_report="drone-1")

    tower.report_attack("drone_attack", envelope(), None, ["Tower 22"], [], "heavy")

    assert tower.incidents == {"drone-1"}
    assert [type(e).__name__ for e in tower.collect_events()] == ["Registered", "DroneAttack"]


def test_only_attack_kinds_are_attacks_on_an_installation() -> None:
    tower = Installation(name="Tower 22", side="us_coalition", first_report="drone-1")

    with pytest.raises(NotAnAttack):
        tower.report_attack("airstrike", envelope(), None, [], [], None)

    assert tower.version == 1


def test_claims_about_an_attack_not_recorded_here_are_refused_before_any_event() -> None:
    tower = Installation(name="Tower 22", side="us_coalition", first_report="drone-1")
    claim = CasualtyClaim(Party.US_MILITARY, Qualifier.EXACT, SOURCE, killed=3)

    with pytest.raises(IncidentNotRecordedHere):
        tower.report_casualties(envelope=envelope("toll"), incident="drone-9", claim=claim)
    with pytest.raises(IncidentNotRecordedHere):
        tower.report_damage(envelope=envelope("dmg"), incident="drone-9", damage="minor")

    assert len(tower.pending_events) == 1


def test_an_operation_concludes_once() -> None:
    operation = Operation(report_id="strike-1", envelope=envelope("strike-1"), actor=None, ordered_by=None)
    operation.conclude(envelope=envelope("strike-1"), outcome="aircraft returned safely")

    with pytest.raises(OperationAlreadyConcluded):
        operation.conclude(envelope=envelope("strike-2"), outcome="again")

    assert operation.concluded


def test_a_group_keeps_its_canonical_name_whatever_alias_created_it() -> None:
    group = MilitiaGroup(name="KH", side="iran_aligned", first_report="r")

    assert group.name == "Kata'ib Hezbollah"


def test_filing_without_the_aggregate_triggers_the_same_event() -> None:
    fields = {"report_id": "drone-1", "kind": "drone_attack", "digest": "d", "document": {"id": "drone-1"}, "homes": []}

    [through_aggregate] = ReportFiling(**fields).collect_events()
    direct = ReportFiling.filed(**fields)

    assert type(direct) is type(through_aggregate)
    assert {k: v for k, v in vars(direct).items() if k != "timestamp"} == {
        k: v for k, v in vars(through_aggregate).items() if k != "timestamp"
    }
