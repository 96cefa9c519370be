"""flashpoint.open: the Python API gives the dicts --json prints, and refuses what the CLI refuses."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import flashpoint
import pytest
from click.testing import CliRunner
from flashpoint.api import Answer, Notice, PandasUnavailable
from flashpoint.cli import main
from flashpoint.nearest import UnknownId
from flashpoint.reports.files import BadReport, NoInput, seed_path
from flashpoint.storage.stores import NoLog

from ..conftest import WriteReports, drone_attack

CAMPAIGN = Path(__file__).parents[2] / "features" / "data" / "campaign-2023-24.yaml"


def cli_json(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--db", str(db), *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def log(tmp_path: Path) -> Any:
    with flashpoint.open(tmp_path / "notebook.db") as opened:
        opened.append(seed_path(), CAMPAIGN)
        yield opened


def test_opening_a_missing_log_creates_nothing_and_a_question_on_it_raises(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with flashpoint.open(missing) as log, pytest.raises(NoLog):
        log.escalation()
    assert not missing.exists()
    assert repr(flashpoint.open(missing)) == f"flashpoint.open({str(missing)!r})"


def test_append_answers_as_append_json_and_re_appending_is_a_no_op(tmp_path: Path) -> None:
    with flashpoint.open(tmp_path / "new.db") as log:
        first = log.append(seed_path())
        again = log.append(seed_path())

    assert first == cli_json(tmp_path / "by-cli.db", "append", str(seed_path()))
    assert first["appended"] and first["unchanged"] == []
    assert (again["appended"], sorted(again["unchanged"]), again["events"]) == ([], sorted(first["appended"]), 0)
    assert cli_json(tmp_path / "new.db", "escalation") == cli_json(tmp_path / "by-cli.db", "escalation")


@pytest.mark.parametrize(
    ("question", "options", "command"),
    [
        ("escalation", {}, ["escalation"]),
        ("escalation", {"to": "2021-06-26", "window": 90}, ["escalation", "--to", "2021-06-26", "--window", "90"]),
        ("escalation", {"to": date(2024, 1, 31), "summary": True}, ["escalation", "--to", "2024-01-31", "--summary"]),
        ("casualties", {"known_on": "2021-06-27"}, ["casualties", "--known-on", "2021-06-27"]),
        (
            "casualties",
            {"incident": "us-strikes-2021-06-27", "policy": "high"},
            ["casualties", "--incident", "us-strikes-2021-06-27", "--best", "high"],
        ),
        (
            "changes",
            {"since": "2024-01-28", "known_on": "2024-02-03"},
            ["changes", "--since", "2024-01-28", "--known-on", "2024-02-03"],
        ),
        ("sources", {"to": "2024-02-10"}, ["sources", "--to", "2024-02-10"]),
    ],
)
def test_every_question_gives_the_dict_json_prints(
    log: Any, question: str, options: dict[str, Any], command: list[str]
) -> None:
    answer = getattr(log, question)(**options)

    assert isinstance(answer, dict) and isinstance(answer, Answer)
    assert answer == cli_json(Path(log.location), *command)
    assert json.loads(json.dumps(answer)) == answer  # a plain JSON document


def test_a_datetime_cuts_at_its_day(log: Any) -> None:
    assert log.escalation(to=datetime(2024, 1, 31, 23, 59)) == log.escalation(to="2024-01-31")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda log: log.escalation(to="2021-02-30"), "to: 2021-02-30 is not a day"),
        (lambda log: log.escalation(known_on="2021-6-1"), "known_on: 2021-6-1 is not a day (YYYY-MM-DD)"),
        (lambda log: log.casualties(to="1066-10-14"), "to: 1066-10-14 is outside"),
        (lambda log: log.escalation(window=0), "window: 0 is not a whole number of days in 1..3660"),
        (lambda log: log.casualties(policy="higest"), "unknown best-estimate policy 'higest'"),
        (lambda log: log.sources(policy="max"), "unknown best-estimate policy 'max'"),
        (lambda log: log.changes(since="2024-02-03", known_on="2024-01-28"), "since: 2024-02-03 is after known_on"),
        (lambda log: log.changes(since=None), "since: required"),
    ],
)
def test_a_mistyped_question_raises_instead_of_answering(log: Any, call: Any, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        call(log)
    assert message in str(refused.value)


def test_an_unknown_incident_names_the_nearest(log: Any) -> None:
    with pytest.raises(UnknownId) as unknown:
        log.casualties(incident="us-strikes-2021-06-28")
    assert "us-strikes-2021-06-27" in str(unknown.value)


def test_a_refused_file_appends_nothing_and_says_which_report_and_field(
    log: Any, write_reports: WriteReports, tmp_path: Path
) -> None:
    before = log.escalation()
    bad = write_reports([drone_attack("fine-1"), drone_attack("bad-1", geo_precision=9)])

    with pytest.raises(BadReport) as refused:
        log.append(bad)
    with pytest.raises(NoInput):
        log.append(tmp_path / "absent.yaml")

    assert "bad-1" in str(refused.value) and "geo_precision" in str(refused.value)
    assert log.escalation() == before


def test_an_append_s_notes_are_warnings(log: Any, write_reports: WriteReports) -> None:
    near = drone_attack("near-1", target_actor={"name": "Kataib Hezbolah", "side": "iran_aligned", "type": "militia"})

    with pytest.warns(Notice, match="Kataib Hezbolah"):
        log.append(write_reports([near]))


def test_a_merged_or_withdrawn_incident_is_said_as_the_cli_says_it(log: Any, write_reports: WriteReports) -> None:
    from ..conftest import retraction

    log.append(
        write_reports(
            [
                drone_attack("tanf-1", occurred="2023-10-18", reported="2023-10-18"),
                drone_attack("tanf-1b", occurred="2023-10-18", reported="2023-10-19"),
                {
                    "id": "merge-tanf",
                    "kind": "merge",
                    "reported": "2023-10-25",
                    "merges": ["tanf-1b"],
                    "into": "tanf-1",
                    "sources": [{"name": "analyst desk"}],
                },
                retraction("retract-tanf", "tanf-1", reported="2023-11-01"),
            ]
        )
    )

    with pytest.warns(Notice, match="tanf-1b is merged into tanf-1"):
        merged = log.casualties(incident="tanf-1b", known_on="2023-10-26")
    with pytest.warns(Notice, match="tanf-1 is withdrawn"):
        log.casualties(incident="tanf-1")

    assert merged == cli_json(Path(log.location), "casualties", "--incident", "tanf-1", "--known-on", "2023-10-26")


def test_answers_become_data_frames_a_row_per_item(log: Any) -> None:
    pytest.importorskip("pandas")
    picture, toll, records = log.escalation(), log.casualties(), log.sources()

    acts = picture.to_pandas()
    incidents = toll.to_pandas()
    responses = picture.to_pandas("responses")

    assert list(acts["id"]) == [act["id"] for act in picture["acts"]]
    assert {"lat", "lon", "geo_precision", "rung"} <= set(acts.columns)
    assert len(incidents) == len(toll["incidents"])
    assert list(incidents["killed_best"].fillna(-1)) == [
        -1 if entry["killed"]["best"] is None else entry["killed"]["best"] for entry in toll["incidents"]
    ]
    assert str(incidents["killed_best"].dtype) == "Int64"  # whole numbers, <NA> where none is stated
    assert len(responses) == len(picture["responses"])
    assert list(records.to_pandas()["source"]) == [record["source"] for record in records["sources"]]
    with pytest.raises(ValueError, match="'level' is not a list of this answer"):
        picture.to_pandas("level")


def test_to_pandas_without_pandas_says_which_extra(log: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(PandasUnavailable, match=r"pip install 'flashpoint\[notebook\]'"):
        log.escalation().to_pandas()


def test_importing_flashpoint_loads_no_read_models_or_pandas() -> None:
    import subprocess

    heavy = ("flashpoint.api", "pandas", "sqlite_utils")
    code = f"import flashpoint, sys; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"


def test_a_json_question_on_the_command_line_loads_neither_pandas_nor_numpy(tmp_path: Path) -> None:
    """sqlite-utils imports both when installed (0.6 s of every command's start-up); the CLI hides them from it."""
    import subprocess

    pytest.importorskip("pandas")
    db = tmp_path / "log.db"
    assert CliRunner().invoke(main, ["--db", str(db), "demo"]).exit_code == 0
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules)))\n"
        f"sys.argv = ['flashpoint', '--db', {str(db)!r}, 'escalation', '--summary', '--json']\n"
        "from flashpoint.cli import run\n"
        "run()\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(shown[: shown.rindex("}") + 1])["level"]["rung"] == 5  # the answer, then what was loaded
    assert shown.strip().splitlines()[-1] == "[]"
