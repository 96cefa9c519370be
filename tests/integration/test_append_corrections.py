"""Appending retractions and merges: recorded on their own filings, refused (65, nothing stored)
when they name what they may not."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flashpoint.app import Flashpoint
from flashpoint.cli import main
from flashpoint.domain import Occurred, ReportFiling
from flashpoint.reports.files import BadReport, load

from ..conftest import WriteReports, casualty_report, claim, drone_attack, merge, retraction

TOLL = casualty_report("toll-1", "drone-1", "2024-01-29", claim("us_military", "Pentagon", killed=3))
ACTS = [drone_attack("drone-1"), drone_attack("drone-1b", reported="2024-01-29"), drone_attack("drone-2"), TOLL]


def appended(app: Flashpoint, write_reports: WriteReports, *reports: dict[str, Any]) -> list[str]:
    return app.append(load(str(write_reports(list(reports))))).appended


def trail(app: Flashpoint) -> list[tuple[str | None, str, int]]:
    return [(event.report_id, event.event, event.version) for event in app.audit_trail()]


def correction_events(app: Flashpoint, report_id: str) -> list[Any]:
    return list(app.events.get(ReportFiling.create_id(report_id)))[1:]


def test_a_retraction_and_a_merge_are_events_of_their_own_filings(db_path: Path, write_reports: WriteReports) -> None:
    with Flashpoint(db_path) as app:
        appended(app, write_reports, *ACTS)
        appended(app, write_reports, retraction("r-1", "toll-1"), merge("m-1", ["drone-1b"], "drone-1"))

    with Flashpoint(db_path) as app:  # read back from the store
        (retracted,) = correction_events(app, "r-1")
        (merged,) = correction_events(app, "m-1")
        assert isinstance(retracted, ReportFiling.ReportsRetracted)
        assert (retracted.envelope.report_id, retracted.envelope.kind) == ("r-1", "retraction")
        assert tuple(retracted.retracts) == ("toll-1",)
        assert isinstance(merged, ReportFiling.ActsMerged)
        assert (tuple(merged.merges), merged.into) == (("drone-1b",), "drone-1")
        assert merged.envelope.occurred == Occurred.on(date(2024, 1, 30))
        assert app.count_reports() == 6


def test_corrections_may_name_reports_later_in_the_same_append_and_published_the_same_day(
    app: Flashpoint, write_reports: WriteReports
) -> None:
    reports = [merge("m-1", ["drone-1b"], "drone-1", reported="2024-01-29"), retraction("r-1", "m-1"), *ACTS]

    assert sorted(appended(app, write_reports, *reports)) == sorted(["m-1", "r-1", *(act["id"] for act in ACTS)])


def test_appending_the_same_corrections_again_changes_nothing(app: Flashpoint, write_reports: WriteReports) -> None:
    corrections = [retraction("r-1", "toll-1"), merge("m-1", ["drone-1b"], "drone-1")]
    appended(app, write_reports, *ACTS, *corrections)
    before = trail(app)

    assert appended(app, write_reports, *corrections) == []
    assert trail(app) == before


@pytest.mark.parametrize(
    ("reports", "label", "field", "fragment"),
    [
        ([retraction("r-1", "toll-1", reported="2024-01-28")], "r-1", "retracts", "'toll-1' was reported on"),
        ([retraction("r-1", "nowhere")], "r-1", "retracts", "'nowhere' is neither in the log nor in this append"),
        ([retraction("r-1", "r-2"), retraction("r-2", "r-1")], "r-1", "retracts", "cycle: r-1 → r-2 → r-1"),
        (
            [retraction("r-1", "r-2"), retraction("r-2", "r-3"), retraction("r-3", "r-1")],
            "r-1",
            "retracts",
            "cycle: r-1 → r-2 → r-3 → r-1",
        ),
        ([merge("m-1", ["toll-1"], "drone-1")], "m-1", "merges", "'toll-1' is a casualty_report, not an attack"),
        ([merge("m-1", ["drone-1b"], "toll-1")], "m-1", "into", "'toll-1' is a casualty_report, not an attack"),
        ([merge("m-1", ["drone-1b"], "drone-9")], "m-1", "into", "'drone-9' is neither in the log"),
        ([merge("m-1", ["drone-1b"], "drone-1", reported="2024-01-28")], "m-1", "merges", "reported on 2024-01-29"),
        (
            [merge("m-1", ["drone-1b"], "drone-1"), merge("m-2", ["drone-1b"], "drone-2")],
            "m-1",
            "merges",
            "'drone-1b' is already merged elsewhere, by 'm-2'",
        ),
        (
            [merge("m-1", ["drone-1b"], "drone-1"), merge("m-2", ["drone-1"], "drone-1b")],
            "m-1",
            "into",
            "cycle: drone-1b → drone-1 → drone-1b",
        ),
    ],
)
def test_a_correction_naming_what_it_may_not_is_refused_and_nothing_is_stored(
    app: Flashpoint, write_reports: WriteReports, reports: list[dict[str, Any]], label: str, field: str, fragment: str
) -> None:
    appended(app, write_reports, *ACTS)
    before = trail(app)

    with pytest.raises(BadReport) as refused:
        appended(app, write_reports, *reports)

    assert (refused.value.report, refused.value.field) == (label, field)
    assert fragment in refused.value.message, refused.value.message
    assert trail(app) == before


def test_an_act_merged_elsewhere_may_be_merged_again_once_that_merge_is_retracted_and_not_reinstated(
    app: Flashpoint, write_reports: WriteReports
) -> None:
    appended(app, write_reports, *ACTS, merge("m-1", ["drone-1b"], "drone-1"))
    appended(app, write_reports, retraction("r-1", "m-1"))
    appended(app, write_reports, merge("m-2", ["drone-1b"], "drone-2"), retraction("r-2", "m-2"))
    appended(app, write_reports, retraction("r-3", "r-1"))  # m-1 is in force again

    with pytest.raises(BadReport) as refused:
        appended(app, write_reports, merge("m-3", ["drone-1b"], "drone-2"))

    assert "already merged elsewhere, by 'm-1'" in refused.value.message


def test_a_merge_cycle_is_refused_against_a_merge_that_is_retracted(
    app: Flashpoint, write_reports: WriteReports
) -> None:
    appended(app, write_reports, *ACTS, merge("m-1", ["drone-1b"], "drone-1"), retraction("r-1", "m-1"))

    with pytest.raises(BadReport) as refused:
        appended(app, write_reports, merge("m-2", ["drone-1"], "drone-1b"))

    assert refused.value.field == "into" and "cycle: drone-1 → drone-1b → drone-1" in refused.value.message


def test_the_command_line_appends_corrections_and_every_query_still_answers(
    db_path: Path, write_reports: WriteReports
) -> None:
    corrections = write_reports([retraction("r-1", "toll-1"), merge("m-1", ["drone-1b"], "drone-1")])
    runner = CliRunner()
    for args in (["append", str(write_reports(ACTS))], ["append", str(corrections)]):
        assert runner.invoke(main, ["--db", str(db_path), *args], catch_exceptions=False).exit_code == 0

    for query in ("log", "escalation", "casualties"):
        result = runner.invoke(main, ["--db", str(db_path), query, "--json"], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        json.loads(result.stdout)
    logged = json.loads(runner.invoke(main, ["--db", str(db_path), "log", "--json"]).stdout)
    assert [(entry["report_id"], entry["event"]) for entry in logged[-4:]] == [
        ("r-1", "ReportFiled"),
        ("r-1", "ReportsRetracted"),
        ("m-1", "ReportFiled"),
        ("m-1", "ActsMerged"),
    ]


def test_a_refused_correction_exits_65_naming_file_report_and_field(db_path: Path, write_reports: WriteReports) -> None:
    runner = CliRunner()
    runner.invoke(main, ["--db", str(db_path), "append", str(write_reports(ACTS))], catch_exceptions=False)
    path = write_reports([retraction("r-1", "nowhere")])

    result = runner.invoke(main, ["--db", str(db_path), "append", str(path)], catch_exceptions=False)

    assert result.exit_code == 65
    assert result.stderr.strip() == (
        f"error: {path}: report r-1: retracts: 'nowhere' is neither in the log nor in this append"
    )
