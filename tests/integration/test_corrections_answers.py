"""Retractions and merges in every answer: the summary, --incident, the ACLED export, replay, verify."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ..conftest import WriteReports, casualty_report, claim, drone_attack, merge, retraction
from .test_acled import Cli

ACT = drone_attack("tower-a", occurred="2024-01-28", reported="2024-01-28")
DUPLICATE = drone_attack("tower-b", occurred="2024-01-28", reported="2024-01-29")
TOLL = casualty_report("toll-b", "tower-b", "2024-01-29", claim("us_military", "CENTCOM", killed=3))
MERGED = merge("merge-b", ["tower-b"], "tower-a", reported="2024-02-01")
WITHDRAWN = retraction("retract-a", "tower-a", reported="2024-02-03")


@pytest.fixture
def cli(tmp_path: Path, write_reports: WriteReports) -> Cli:
    cli = Cli(tmp_path / "log.db", tmp_path / "log.views.db")
    result = cli("append", str(write_reports([ACT, DUPLICATE, TOLL, MERGED, WITHDRAWN])))
    assert result.exit_code == 0, result.stderr
    return cli


def test_the_summary_follows_a_merge_and_a_retraction_at_the_knowledge_cut(cli: Cli) -> None:
    def level(known_on: str) -> int:
        return int(cli.json("escalation", "--summary", "--known-on", known_on)["level"]["rung"])

    def acts(known_on: str) -> list[tuple[str, int]]:
        return [(act["id"], act["rung"]) for act in cli.json("escalation", "--known-on", known_on)["acts"]]

    assert acts("2024-01-29") == [("tower-a", 2), ("tower-b", 5)]
    assert acts("2024-02-01") == [("tower-a", 5)]  # tower-b's deaths count for tower-a once merged
    assert acts("2024-02-03") == [("tower-b", 5)]  # into withdrawn: the merge is suspended
    assert [level(day) for day in ("2024-01-28", "2024-01-29", "2024-02-01", "2024-02-03")] == [2, 5, 5, 5]
    assert cli.json("escalation", "--summary", "--known-on", "2024-02-03")["cycles"] == 0


def test_an_incident_merged_away_is_answered_for_the_act_it_counts_for_with_a_notice(cli: Cli) -> None:
    result = cli("casualties", "--incident", "tower-b", "--known-on", "2024-02-02", "--json")

    assert result.exit_code == 0, result.stderr
    assert "tower-b is merged into tower-a as known on 2024-02-02: answering for tower-a" in result.stderr
    assert [row["incident"] for row in json.loads(result.stdout)["incidents"]] == ["tower-a"]
    before = cli("casualties", "--incident", "tower-b", "--known-on", "2024-01-30", "--json")
    assert before.stderr == "" and '"incident": "tower-b"' in before.stdout


def test_the_acled_export_and_a_replay_leave_out_what_is_withdrawn_or_merged(cli: Cli, tmp_path: Path) -> None:
    def exported(known_on: str) -> list[str]:
        result = cli("export", "acled", "--known-on", known_on)
        assert result.exit_code == 0, result.stderr
        return [line.split(",")[0] for line in result.stdout.splitlines()[1:]]

    assert len(exported("2024-01-30")) == 2
    assert len(exported("2024-02-02")) == 1
    assert exported("2024-02-03") == exported("2024-01-30")[1:]  # tower-b on its own again
    replay = tmp_path / "replay.db"
    result = cli("replay", "--to", "2024-02-28", "--known-on", "2024-02-02", "--out", str(replay))
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(replay) as db:
        assert db.execute("SELECT id, rung FROM acts").fetchall() == [("tower-a", 5)]
        assert db.execute("SELECT incident, killed_best FROM casualties").fetchall() == [("tower-a", 3)]


def test_verify_holds_the_spans_of_a_rebuild_equal_to_those_kept_incrementally(cli: Cli) -> None:
    assert cli("escalation").exit_code == 0  # the read models caught up once, before the check
    result = cli("verify")

    assert result.exit_code == 0, result.stdout + result.stderr


def test_changes_answers_in_the_json_shape_of_the_contract(cli: Cli) -> None:
    answer = cli.json("changes", "--since", "2024-01-30", "--known-on", "2024-02-01")

    assert {"to", "since", "known_on"} <= set(answer["cut"])
    assert (answer["cut"]["since"], answer["cut"]["known_on"]) == ("2024-01-30", "2024-02-01")
    assert answer["reports"] == [{"id": "merge-b", "kind": "merge", "reported": "2024-02-01"}]
    assert set(answer["acts"]) == {"added", "withdrawn", "merged", "rung_changed"}
    assert answer["acts"]["merged"] == [{"id": "tower-b", "into": "tower-a", "because": ["merge-b"]}]
    assert answer["acts"]["rung_changed"] == [{"id": "tower-a", "before": 2, "after": 5, "because": ["merge-b"]}]
    assert set(answer["responses"]) == {"added", "withdrawn"}
    [one, other] = answer["casualties"]
    assert (one["incident"], one["party"], one["figure"], one["before"], one["after"]) == (
        "tower-a",
        "us_military",
        "killed",
        None,
        {"low": 3, "best": 3, "high": 3},
    )
    assert (other["incident"], other["before"], other["after"]) == ("tower-b", {"low": 3, "best": 3, "high": 3}, None)
    assert {key for entry in answer["casualties"] for key in entry} >= {
        "disputed_before",
        "disputed_after",
        "because",
    }
    assert answer["level"] == {
        "before": {"rung": 5, "name": "lethal attacks"},
        "after": {"rung": 5, "name": "lethal attacks"},
    }
    assert set(answer["trend"]) == set(answer["cycles"]) == {"before", "after"}


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ("--since", "2024-02-02", "--known-on", "2024-02-01"),
            64,
            "--since 2024-02-02 is after --known-on 2024-02-01",
        ),
        ((), 64, "Missing option '--since'"),
        (("--since", "2024-02-30"), 64, "2024-02-30"),
    ],
)
def test_changes_refuses_cuts_in_the_wrong_order_or_missing(
    cli: Cli, args: tuple[str, ...], status: int, message: str
) -> None:
    result = cli("changes", *args)

    assert result.exit_code == status
    assert message in result.stderr and "Traceback" not in result.stderr


def test_changes_on_a_log_that_does_not_exist_exits_66_and_creates_nothing(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "missing.db", tmp_path / "missing.views.db")

    result = cli("changes", "--since", "2024-01-01")

    assert result.exit_code == 66
    assert not (tmp_path / "missing.db").exists()
