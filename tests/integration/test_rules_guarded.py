"""Rules that survived hand-made mutants: each test here fails when its rule is broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flashpoint.domain import parse_report
from flashpoint.domain.routing import primary_installation

from ..conftest import WriteReports, drone_attack
from .test_cli import flashpoint


def test_an_attack_is_recorded_at_its_first_target() -> None:
    report = parse_report(drone_attack("two-sites", target=["Tower 22", "Al-Tanf garrison"]))

    assert primary_installation(report) == "Tower 22"


def test_the_readable_table_marks_only_cross_side_responses_as_tit_for_tat(
    db_path: Path, write_reports: WriteReports
) -> None:
    first = drone_attack("kh-drone", actor="Kata'ib Hezbollah", occurred="2024-01-20", reported="2024-01-20")
    same_side = drone_attack(
        "nujaba-drone", actor="Harakat Hezbollah al-Nujaba", occurred="2024-01-22", reported="2024-01-22"
    )
    same_side["responds_to"] = ["kh-drone"]
    strike = {
        "id": "us-strike",
        "kind": "airstrike",
        "occurred": "2024-01-25",
        "reported": "2024-01-25",
        "actor": "United States",
        "target": ["KH depot"],
        "target_actor": "Kata'ib Hezbollah",
        "responds_to": ["kh-drone"],
    }
    assert flashpoint("append", str(write_reports([first, same_side, strike])), db=db_path).returncode == 0

    table = flashpoint("escalation", db=db_path).stdout
    answer = json.loads(flashpoint("escalation", "--json", db=db_path).stdout)

    responses_table = [cells for cells in (line.split("│") for line in table.splitlines()) if len(cells) == 6]
    assert {cells[1].strip(): cells[4].strip() for cells in responses_table} == {
        "nujaba-drone": "no",
        "us-strike": "yes",
    }
    assert {row["response"]: row["tit_for_tat"] for row in answer["responses"]} == {
        "nujaba-drone": False,
        "us-strike": True,
    }
    assert answer["cycles"] == 1


def test_a_dated_statement_with_claims_about_an_unknown_act_is_refused(
    db_path: Path, write_reports: WriteReports
) -> None:
    statement = {
        "id": "claims-about-nothing",
        "kind": "statement",
        "stance": "assessment",
        "occurred": "2024-01-28",
        "reported": "2024-01-29",
        "actor": "United States",
        "incident": "no-such-act",
        "casualties": [{"party": "militia", "killed": 3, "source": "Pentagon"}],
    }

    result = flashpoint("append", str(write_reports([statement])), db=db_path)

    assert result.returncode == 65, result.stderr
    assert (
        "report claims-about-nothing: incident: 'no-such-act' is neither in the log nor in this append" in result.stderr
    )


def test_the_acled_export_of_a_native_act_counts_a_sources_current_figure_not_its_superseded_one(
    db_path: Path, write_reports: WriteReports
) -> None:
    import csv
    import io

    attack = drone_attack(
        "tower-22",
        casualties=[{"party": "us_military", "killed": 5, "qualifier": "exact", "source": "Pentagon"}],
    )
    revision = {
        "id": "tower-22-revised",
        "kind": "casualty_report",
        "incident": "tower-22",
        "reported": "2024-01-29",
        "casualties": [{"party": "us_military", "killed": 3, "qualifier": "exact", "source": "Pentagon"}],
    }
    assert flashpoint("append", str(write_reports([attack, revision])), db=db_path).returncode == 0

    now = flashpoint("export", "acled", db=db_path)
    then = flashpoint("export", "acled", "--known-on", "2024-01-28", db=db_path)

    assert [row["fatalities"] for row in csv.DictReader(io.StringIO(now.stdout))] == ["3"]
    assert [row["fatalities"] for row in csv.DictReader(io.StringIO(then.stdout))] == ["5"]


def test_an_aggregates_guard_refusing_a_report_is_a_refusal_naming_it_not_a_bug(
    tmp_path: Path, write_reports: WriteReports, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flashpoint.app import Flashpoint
    from flashpoint.desk import Desk
    from flashpoint.domain.installation import IncidentNotRecordedHere
    from flashpoint.reports.files import BadReport, load

    def guarded(*_: object) -> None:
        raise IncidentNotRecordedHere("Tower 22 has no record of incident 'tower-22'")

    monkeypatch.setattr(Desk, "record", guarded)
    batch = load(str(write_reports([drone_attack("tower-22")], name="r.yaml")))

    with Flashpoint(tmp_path / "log.db") as app, pytest.raises(BadReport) as refused:
        app.append(batch)

    assert str(refused.value).endswith("r.yaml: report tower-22: Tower 22 has no record of incident 'tower-22'")
