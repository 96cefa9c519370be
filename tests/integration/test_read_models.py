"""The read models through the command line: cuts, JSON shapes, replay, verify, disposability."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from flashpoint.projections import engine
from flashpoint.projections.engine import ReadModels, views_path_for

from ..conftest import WriteReports
from .test_cli import flashpoint


@pytest.fixture
def seeded(db_path: Path) -> Path:
    result = flashpoint("demo", db=db_path)
    assert result.returncode == 0, result.stderr
    return db_path


def ask(db: Path, *args: str) -> dict[str, Any]:
    result = flashpoint(*args, "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_escalation_json_has_the_contract_shape(seeded: Path) -> None:
    picture = ask(seeded, "escalation")

    assert {"cut", "level", "trend", "cycles", "acts", "responses"} <= set(picture)
    assert picture["level"] == {"rung": 5, "name": "lethal attacks"}
    assert {
        "id",
        "kind",
        "occurred_from",
        "occurred_to",
        "certainty",
        "side",
        "actor",
        "target",
        "rung",
    } <= set(picture["acts"][0])
    assert {"act", "response", "lag_min", "lag_max"} <= set(picture["responses"][0])


def test_casualties_json_has_the_contract_shape(seeded: Path) -> None:
    toll = ask(seeded, "casualties")

    june = next(r for r in toll["incidents"] if r["incident"] == "us-strikes-2021-06-27" and r["party"] == "militia")
    assert {"incident", "party", "killed", "injured", "disputed", "sources"} <= set(june)
    assert june["killed"] == {"low": 4, "best": 4, "high": 5}
    assert toll["totals"]["militia"]["killed"] == {"low": 5, "best": 5, "high": 6}


def test_cuts_change_the_answer(seeded: Path) -> None:
    before = ask(seeded, "escalation", "--to", "2021-06-26")
    known_earlier = ask(seeded, "escalation", "--known-on", "2021-06-11")

    assert [act["id"] for act in before["acts"]][-1] == "bdsc-drone-2021-06"
    assert before["cut"]["to"] == "2021-06-26"
    assert "us-strikes-2021-06-27" not in {act["id"] for act in known_earlier["acts"]}
    assert known_earlier["cut"]["known_on"] == "2021-06-11"


def test_repeated_queries_are_stable(seeded: Path) -> None:
    first, second = ask(seeded, "escalation"), ask(seeded, "escalation")

    assert first == second
    assert ask(seeded, "casualties", "--to", "2021-03-01") == ask(seeded, "casualties", "--to", "2021-03-01")


def test_a_bad_cut_date_is_a_usage_error(seeded: Path) -> None:
    result = flashpoint("escalation", "--to", "2021-02-30", db=seeded)

    assert result.returncode == 64 and "Traceback" not in result.stderr


def test_the_read_models_are_disposable(seeded: Path) -> None:
    before = ask(seeded, "casualties")
    views = views_path_for(seeded)
    assert views.exists()

    for path in views.parent.glob(views.name + "*"):
        path.unlink()

    assert ask(seeded, "casualties") == before


def test_a_schema_version_bump_rebuilds(seeded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ask(seeded, "escalation")
    views = views_path_for(seeded)
    with sqlite3.connect(views) as connection:
        connection.execute("UPDATE meta SET value = 'old' WHERE key = 'schema_version'")
        connection.execute("DELETE FROM acts")

    with ReadModels(views) as models:
        assert models.position == 0
        assert next(iter(models.db.query("SELECT count(*) AS n FROM acts")))["n"] == 0


def test_views_of_a_replaced_log_are_rebuilt(tmp_path: Path, write_reports: Any) -> None:
    from ..conftest import drone_attack

    db = tmp_path / "log.db"
    flashpoint("demo", db=db)
    ask(db, "escalation")
    for path in tmp_path.glob("log.db*"):
        path.unlink()
    flashpoint("append", str(write_reports([drone_attack("drone-1")])), db=db)

    assert [act["id"] for act in ask(db, "escalation")["acts"]] == ["drone-1"]


def test_replay_writes_a_standalone_database_as_of_the_cut(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "as-of-2021-06-26.db"

    result = flashpoint("replay", "--to", "2021-06-26", "--known-on", "2021-06-20", "--out", str(out), db=seeded)

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(out) as replay:
        acts = [row[0] for row in replay.execute("SELECT id FROM acts ORDER BY occurred_from")]
        cut_row = replay.execute("SELECT [to], known_on, level_name FROM cut").fetchone()
    assert acts == ["erbil-rockets-2021-02-15", "us-strikes-2021-02-25", "bdsc-drone-2021-06"]
    assert cut_row == ("2021-06-26", "2021-06-20", "casualty attacks")


def test_verify_passes_on_a_healthy_log(seeded: Path) -> None:
    result = flashpoint("verify", db=seeded)

    assert result.returncode == 0, result.stderr
    assert "verified" in result.stderr


def test_verify_fails_listing_differences_when_the_views_were_tampered_with(seeded: Path) -> None:
    ask(seeded, "escalation")
    with sqlite3.connect(views_path_for(seeded)) as connection:
        connection.execute("UPDATE acts SET actor = 'someone else' WHERE report_id = 'bdsc-drone-2021-06'")

    result = flashpoint("verify", db=seeded)

    assert result.returncode == 1
    assert "acts:" in result.stderr and "someone else" in result.stderr


def test_schema_version_is_recorded(seeded: Path) -> None:
    ask(seeded, "escalation")

    with ReadModels(views_path_for(seeded)) as models:
        assert models._meta("schema_version") == engine.SCHEMA_VERSION


def test_verify_reports_stored_reports_the_contract_now_refuses(db_path: Path) -> None:
    from flashpoint.app import Flashpoint
    from flashpoint.domain import ReportFiling

    flashpoint("demo", db=db_path)
    with Flashpoint(db_path) as app:
        stale = ReportFiling(
            report_id="legacy-1",
            kind="drone_attack",
            digest="x",
            document={"id": "legacy-1", "kind": "drone_attack", "reported": "2021-02-30"},
            homes=[],
        )
        app.save(stale)

    result = flashpoint("verify", db=db_path)

    assert result.returncode == 1
    assert "report legacy-1: reported: '2021-02-30' is not a real calendar day" in result.stderr


def test_a_log_holding_days_before_the_range_still_answers(
    log_from_before_the_date_range: Path, tmp_path: Path
) -> None:
    db = log_from_before_the_date_range

    picture = ask(db, "escalation")
    summary = ask(db, "escalation", "--summary", "--to", "1900-01-01")
    toll = ask(db, "casualties", "--to", "2024-01-28")
    replayed = flashpoint("replay", "--to", "2024-01-30", "--out", str(tmp_path / "replay.db"), db=db)
    table = flashpoint("escalation", db=db)
    exported = flashpoint("export", "acled", db=db)

    assert [act["id"] for act in picture["acts"]] == ["drone-day-one", "drone-ancient"]
    assert [act["rung"] for act in picture["acts"]] == [5, 2]
    assert picture["level"] == {"rung": 2, "name": "harassment"}  # only the act up to 2024 is in the window
    assert summary["level"]["rung"] == 2 and summary["trend"] == "stable"  # it overlaps both windows
    assert toll["totals"]["us_military"]["killed"]["best"] == 3
    assert replayed.returncode == 0, replayed.stderr
    with sqlite3.connect(tmp_path / "replay.db") as replay:
        assert replay.execute("SELECT count(*) FROM acts").fetchone() == (2,)
    assert table.returncode == 0, table.stderr
    assert "0001-01-01/2024-01-28" in table.stdout and "drone-ancient" in table.stdout
    assert exported.returncode == 0, exported.stderr
    assert "drone-day-one,0001-01-01," in exported.stdout


def test_reports_about_an_act_from_before_the_range_are_appended(
    log_from_before_the_date_range: Path, write_reports: WriteReports
) -> None:
    about_it = {
        "id": "toll-ancient",
        "kind": "casualty_report",
        "incident": "drone-ancient",
        "reported": "2024-01-29",
        "casualties": [{"party": "us_military", "injured": 40, "source": "Pentagon"}],
    }

    appended = flashpoint("append", str(write_reports([about_it])), db=log_from_before_the_date_range)

    assert appended.returncode == 0, appended.stderr
    assert ask(log_from_before_the_date_range, "casualties", "--incident", "drone-ancient")["incidents"][0][
        "injured"
    ] == {"low": 40, "best": 40, "high": 40}


def test_verify_reports_stored_days_the_range_now_refuses(log_from_before_the_date_range: Path) -> None:
    result = flashpoint("verify", db=log_from_before_the_date_range)

    assert result.returncode == 1
    assert (
        "report drone-ancient: occurred: '0001-01-01' is outside 1900-01-01..2099-12-31, the days flashpoint accepts"
    ) in result.stderr
    assert "report drone-day-one: occurred: '0001-01-01' is outside" in result.stderr


def test_the_summary_and_one_incident_through_the_cli(seeded: Path) -> None:
    summary = ask(seeded, "escalation", "--summary", "--to", "2021-06-26")
    toll = ask(seeded, "casualties", "--incident", "us-strikes-2021-06-27")

    assert summary["level"]["name"] == "casualty attacks" and summary["cycles"] == 1 and "acts" not in summary
    assert {row["incident"] for row in toll["incidents"]} == {"us-strikes-2021-06-27"}
