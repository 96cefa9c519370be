"""Appending to a real SQLite log: atomic files, idempotent ids, conflicts refused."""

from datetime import date
from pathlib import Path

import pytest
from flashpoint.app import Flashpoint
from flashpoint.domain import CasualtyClaim, Envelope, Installation, MilitiaGroup, Operation
from flashpoint.reports.files import BadReport, Submitted, load

from ..conftest import WriteReports, drone_attack


def append_file(app: Flashpoint, path: Path) -> list[str]:
    return app.append(load(str(path))).appended


def snapshot(app: Flashpoint) -> list[tuple[int, str, int]]:
    return [(e.position, e.event, e.version) for e in app.audit_trail()]


def casualty_report(report_id: str, incident: str, **fields: object) -> dict[str, object]:
    report: dict[str, object] = {
        "id": report_id,
        "kind": "casualty_report",
        "reported": "2024-01-29",
        "incident": incident,
        "casualties": [{"party": "us_military", "killed": 3, "qualifier": "exact", "source": "Pentagon"}],
    }
    report.update(fields)
    return report


def test_appending_records_the_attack_at_the_installation(app: Flashpoint, write_reports: WriteReports) -> None:
    append_file(
        app,
        write_reports(
            [drone_attack("tower-22", casualties=[{"party": "us_military", "killed": 3, "source": "Pentagon"}])]
        ),
    )

    tower = app.repository.get(Installation.create_id("Tower 22"))
    events = list(app.events.get(tower.id))
    assert [type(event).__name__ for event in events] == ["Registered", "DroneAttack", "CasualtiesReported"]
    attack, claim = events[1], events[2]
    assert isinstance(attack.envelope, Envelope)
    assert attack.envelope.occurred.start == date(2024, 1, 28)
    assert isinstance(claim.claim, CasualtyClaim) and claim.claim.killed == 3


def test_reappending_the_same_file_changes_nothing(app: Flashpoint, write_reports: WriteReports) -> None:
    path = write_reports([drone_attack("drone-1"), drone_attack("drone-2", occurred="2024-01")])
    append_file(app, path)
    before = snapshot(app)

    outcome = app.append(load(str(path)))

    assert outcome.appended == [] and outcome.unchanged == ["drone-1", "drone-2"]
    assert snapshot(app) == before


def test_the_same_content_in_json_is_the_same_report(app: Flashpoint, write_reports: WriteReports) -> None:
    append_file(app, write_reports([drone_attack("drone-1")]))

    outcome = app.append(load(str(write_reports([drone_attack("drone-1")], as_json=True))))

    assert outcome.unchanged == ["drone-1"]


def test_a_known_id_with_different_content_is_refused(app: Flashpoint, write_reports: WriteReports) -> None:
    append_file(app, write_reports([drone_attack("drone-1")]))
    before = snapshot(app)

    with pytest.raises(BadReport) as refused:
        app.append(load(str(write_reports([drone_attack("drone-2"), drone_attack("drone-1", damage="heavy")]))))

    assert refused.value.report == "drone-1" and refused.value.field == "id"
    assert "different content" in str(refused.value)
    assert snapshot(app) == before


def test_a_file_with_one_unknown_incident_appends_nothing(app: Flashpoint, write_reports: WriteReports) -> None:
    path = write_reports([drone_attack("drone-1"), casualty_report("toll-1", incident="no-such-attack")])

    with pytest.raises(BadReport) as refused:
        append_file(app, path)

    assert (refused.value.report, refused.value.field) == ("toll-1", "incident")
    assert snapshot(app) == []


def test_a_casualty_report_takes_its_date_from_an_incident_in_the_log(
    app: Flashpoint, write_reports: WriteReports
) -> None:
    append_file(app, write_reports([drone_attack("drone-1", occurred="2024-01-27/2024-01-28")]))

    append_file(app, write_reports([casualty_report("toll-1", incident="drone-1")]))

    claims = [e for e in app.events.get(Installation.create_id("Tower 22")) if type(e).__name__ == "CasualtiesReported"]
    assert claims[0].envelope.occurred.text() == "2024-01-27/2024-01-28"
    assert claims[0].incident == "drone-1"


def test_reports_may_refer_to_acts_later_in_the_same_file(app: Flashpoint, write_reports: WriteReports) -> None:
    path = write_reports([casualty_report("toll-1", incident="drone-1"), drone_attack("drone-1")])

    assert append_file(app, path) == ["drone-1", "toll-1"]
    assert app.report("toll-1") is not None and app.report("drone-1") is not None


def test_a_casualty_report_about_a_statement_is_refused(app: Flashpoint, write_reports: WriteReports) -> None:
    statement = {
        "id": "kh-threat",
        "kind": "statement",
        "stance": "threat",
        "reported": "2024-01-29",
        "actor": "KH",
    }

    with pytest.raises(BadReport) as refused:
        append_file(app, write_reports([statement, casualty_report("toll-1", incident="kh-threat")]))

    assert "not an attack or airstrike" in str(refused.value)


def test_an_airstrike_is_an_operation_against_the_groups_facilities(
    app: Flashpoint, write_reports: WriteReports
) -> None:
    strike = {
        "id": "us-strikes-2024-02-02",
        "kind": "airstrike",
        "occurred": "2024-02-02",
        "reported": "2024-02-02",
        "actor": "United States",
        "target": ["Al Qaim depot", "Akashat site"],
        "target_actor": "Kataib Hezbollah",
        "aircraft": ["B-1B"],
        "outcome": "aircraft returned safely",
        "casualties": [{"party": "militia", "killed": 16, "source": "Iraqi government"}],
    }

    append_file(app, write_reports([strike]))

    operation = list(app.events.get(Operation.create_id("us-strikes-2024-02-02")))
    assert [type(e).__name__ for e in operation] == [
        "OperationOrdered",
        "AirstrikeConducted",
        "CasualtiesReported",
        "OperationConcluded",
    ]
    group = app.repository.get(MilitiaGroup.create_id("KH"))
    assert group.facilities == {"Al Qaim depot", "Akashat site"}


def test_a_militia_vow_is_recorded_on_the_group(app: Flashpoint, write_reports: WriteReports) -> None:
    vow = {
        "id": "kh-vow",
        "kind": "statement",
        "stance": "vow_revenge",
        "reported": "2024-02-03",
        "actor": "KH",
    }

    append_file(app, write_reports([vow]))

    events = [type(e).__name__ for e in app.events.get(MilitiaGroup.create_id("Kata'ib Hezbollah"))]
    assert events == ["Registered", "RevengeVowed"]


def test_a_statement_with_no_subject_lives_with_its_filing(app: Flashpoint, write_reports: WriteReports) -> None:
    threat = {
        "id": "us-warning",
        "kind": "statement",
        "stance": "threat",
        "reported": "2024-02-03",
        "actor": "United States",
    }

    append_file(app, write_reports([threat]))

    trail = [(e.aggregate, e.event) for e in app.audit_trail()]
    assert trail == [("ReportFiling", "ReportFiled"), ("ReportFiling", "StatementIssued")]


def test_events_survive_reopening_the_log(db_path: Path, write_reports: WriteReports) -> None:
    with Flashpoint(db_path) as first:
        append_file(first, write_reports([drone_attack("drone-1")]))

    with Flashpoint(db_path) as second:
        report = second.report("drone-1")

    assert report is not None and report.target == ("Tower 22",)


def test_a_large_file_appends_in_one_go(app: Flashpoint, write_reports: WriteReports) -> None:
    reports = [drone_attack(f"drone-{n}", target=[f"site {n % 40}"]) for n in range(2_000)]

    outcome = app.append(load(str(write_reports(reports, as_json=True))))

    assert len(outcome.appended) == 2_000
    assert app.recorder.max_notification_id() == outcome.events


def test_submitted_items_know_where_they_came_from(write_reports: WriteReports) -> None:
    path = write_reports([drone_attack("drone-1")])

    [item] = load(str(path))

    assert isinstance(item, Submitted) and item.source == str(path) and item.label == "drone-1"


def test_a_statement_may_carry_claims_about_its_incident(app: Flashpoint, write_reports: WriteReports) -> None:
    claim = {
        "id": "iri-claim",
        "kind": "statement",
        "stance": "claim_of_responsibility",
        "reported": "2024-01-29",
        "actor": "Islamic Resistance in Iraq",
        "incident": "drone-1",
        "casualties": [{"party": "us_military", "killed": 5, "qualifier": "at_least", "source": "IRI Telegram"}],
    }

    append_file(app, write_reports([drone_attack("drone-1"), claim]))

    tower = [type(e).__name__ for e in app.events.get(Installation.create_id("Tower 22"))]
    group = [type(e).__name__ for e in app.events.get(MilitiaGroup.create_id("IRI"))]
    assert tower == ["Registered", "DroneAttack", "CasualtiesReported"]
    assert group == ["Registered", "ResponsibilityClaimed"]


def test_a_dated_statement_may_mention_an_act_not_yet_reported(app: Flashpoint, write_reports: WriteReports) -> None:
    vow = {
        "id": "kh-vow",
        "kind": "statement",
        "stance": "vow_revenge",
        "occurred": "2024-02-03",
        "reported": "2024-02-03",
        "actor": "KH",
        "incident": "strike-not-yet-in-log",
    }

    assert append_file(app, write_reports([vow])) == ["kh-vow"]


def test_an_undated_statement_about_an_unknown_act_is_refused(app: Flashpoint, write_reports: WriteReports) -> None:
    vow = {
        "id": "kh-vow",
        "kind": "statement",
        "stance": "vow_revenge",
        "reported": "2024-02-03",
        "actor": "KH",
        "incident": "strike-not-yet-in-log",
    }

    with pytest.raises(BadReport) as refused:
        append_file(app, write_reports([vow]))

    assert refused.value.field == "incident"


def test_busy_installations_are_snapshotted_and_load_the_same(app: Flashpoint, write_reports: WriteReports) -> None:
    from flashpoint.app import SNAPSHOT_EVERY

    for batch in range(3):
        reports = [drone_attack(f"drone-{batch}-{n}", target=["Al Asad"]) for n in range(SNAPSHOT_EVERY // 2 + 10)]
        app.append(load(str(write_reports(reports, as_json=True))))
    base = Installation.create_id("Al Asad")

    assert app.snapshots is not None
    snapshots = list(app.snapshots.get(base))
    from_snapshot = app.repository.get(base)
    from_events = None
    for event in app.events.get(base):
        from_events = event.mutate(from_events)

    assert len(snapshots) == 1 and snapshots[0].originator_version >= SNAPSHOT_EVERY
    assert from_snapshot.version == from_events.version == 3 * (SNAPSHOT_EVERY // 2 + 10) + 1
    assert from_snapshot.incidents == from_events.incidents


def test_rows_written_straight_to_sqlite_are_what_the_mapper_would_store(db_path: Path) -> None:
    from flashpoint.desk import Desk
    from flashpoint.reports.files import seed_path

    app = Flashpoint(db_path)  # the SQLite store's fast path

    desk = Desk(app.repository)  # keeps the domain events themselves, as the append would trigger them
    batch = sorted(load(seed_path()), key=lambda item: not item.report.kind.is_hostile_act)
    in_batch = {item.report.id: item.report for item in batch}
    for item in batch:
        report, incident = app._resolve(item, in_batch)
        desk.record(report, item.document, incident)

    assert app._rows_wanted()
    assert len(desk.events) > 20
    for event in desk.events:
        stored = app.mapper.to_stored_event(event)
        assert app._row(event) == (stored.originator_id.hex, stored.originator_version, stored.topic, stored.state)
