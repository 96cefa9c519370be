"""A log written by older event versions is read through upcasting and never rewritten."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from flashpoint.app import Flashpoint
from flashpoint.domain import Installation
from flashpoint.projections.casualties import casualties
from flashpoint.projections.cuts import Cut
from flashpoint.projections.engine import ReadModels
from flashpoint.projections.escalation import escalation
from flashpoint.reports.files import validate

from ..conftest import drone_attack

FIXTURE = Path(__file__).parent.parent / "fixtures" / "log-v1.db"


@pytest.fixture
def old_log(tmp_path: Path) -> Path:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURE, copy)
    return copy


def stored_rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"
        ).fetchall()


def test_the_fixture_really_holds_version_1_attack_events() -> None:
    rows = [row for row in stored_rows(FIXTURE) if str(row[3]).endswith("Attack")]

    assert rows and all(b"class_version" not in bytes(row[4]) and b"weapon" not in bytes(row[4]) for row in rows)


def test_version_1_attacks_are_read_with_no_weapon(old_log: Path) -> None:
    with Flashpoint(old_log) as app:
        events = list(app.events.get(Installation.create_id("Tower 22")))

    attack = events[1]
    assert type(attack).__name__ == "DroneAttack"
    assert attack.weapon is None
    assert attack.envelope.report_id == "tower-22-2024-01-28"


def test_reading_and_appending_never_rewrite_stored_events(old_log: Path) -> None:
    before = stored_rows(old_log)

    with Flashpoint(old_log) as app:
        app.append(
            validate(
                [
                    drone_attack(
                        "tower-22-2024-02-04",
                        occurred="2024-02-04",
                        reported="2024-02-04",
                        weapon="one-way attack drone",
                    )
                ],
                "new",
            )
        )
        newest = list(app.events.get(Installation.create_id("Tower 22")))[-1]

    after = stored_rows(old_log)
    assert after[: len(before)] == before
    assert newest.weapon == "one-way attack drone"
    new_attacks = [row for row in after[len(before) :] if str(row[3]).endswith("DroneAttack")]
    assert len(new_attacks) == 1 and b'"class_version":2' in bytes(new_attacks[0][4])


def test_old_and_new_events_feed_the_same_read_models(old_log: Path, tmp_path: Path) -> None:
    with Flashpoint(old_log) as app, ReadModels(tmp_path / "views.db") as views:
        views.catch_up(app)
        picture = escalation(views.db, Cut())

    rungs = {act["id"]: act["rung"] for act in picture["acts"]}
    assert rungs["al-asad-2020-01-08"] == 6 and rungs["tower-22-2024-01-28"] == 5
    assert rungs["us-strikes-2021-06-27"] == 5


def test_claims_stored_before_ranges_read_as_they_did_and_a_range_appended_later_reads_back(
    old_log: Path, tmp_path: Path
) -> None:
    from flashpoint.domain.claims import FigureRange
    from flashpoint.projections.casualties import casualties

    from ..conftest import casualty_report, claim

    before = stored_rows(old_log)
    revision = claim("us_military", "CENTCOM", injured={"from": 40, "to": 45})
    with Flashpoint(old_log) as app:
        app.append(validate([casualty_report("tower-22-range", "tower-22-2024-01-28", "2024-02-02", revision)], "new"))
    with Flashpoint(old_log) as app, ReadModels(tmp_path / "views.db") as views:
        events = list(app.events.get(Installation.create_id("Tower 22")))
        views.catch_up(app)
        sources = [
            source
            for entry in casualties(views.db, Cut())["incidents"]
            if entry["incident"] == "tower-22-2024-01-28"
            for source in entry["sources"]
        ]

    claims = [event.claim for event in events if type(event).__name__ == "CasualtiesReported"]
    assert stored_rows(old_log)[: len(before)] == before
    assert claims[-1].injured == FigureRange(40, 45)
    assert [source["injured"] for source in sources][-1] == {"from": 40, "to": 45}
    old = [(item.killed, item.injured) for item in claims[:-1]]
    assert old and all(isinstance(figure, int | str | None) for pair in old for figure in pair)
    assert [(source["killed"], source["injured"]) for source in sources][:-1] == old


def test_claims_stored_before_sources_had_provenance_answer_with_none(old_log: Path, tmp_path: Path) -> None:
    with Flashpoint(old_log) as app, ReadModels(tmp_path / "views.db") as views:
        views.catch_up(app)
        toll = casualties(views.db, Cut())
        logged = [item.as_dict() for item in app.audit_trail()]

    entries = [source for row in toll["incidents"] for source in row["sources"]]
    assert entries and all(entry["url"] is None and entry["published"] is None for entry in entries)
    claims = [item for item in logged if item["event"] == "CasualtiesReported"]
    assert claims and all(item["claim_source"]["url"] is None for item in claims)
    assert all(source["sha256"] is None for item in logged for source in item["sources"])
