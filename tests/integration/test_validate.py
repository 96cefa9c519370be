"""``flashpoint validate`` and the refusal of a file naming every error in it (append too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flashpoint.reports.files import seed_path

from ..conftest import WriteReports, drone_attack, merge, retraction
from .test_cli import flashpoint

BAD = [
    drone_attack("drone-1", occurred="2024-02-30"),
    drone_attack("drone-2", damage="catastrophic", notes="a\x1b[2Jb"),
    drone_attack("Drone 3"),
]
ERRORS = [
    "report drone-1: occurred: '2024-02-30' is not a real calendar day",
    "report drone-2: damage: 'catastrophic' is not one of",
    "report drone-2: notes: holds a control character (\\x1b)",
    "report #3: id: 'Drone 3' does not match",
]


def test_validate_needs_no_log_and_says_a_good_file_is_valid(tmp_path: Path) -> None:
    db = tmp_path / "log.db"

    run = flashpoint("validate", seed_path(), db=db)

    assert run.returncode == 0, run.stderr
    assert "1 of 1 file(s) valid" in run.stderr
    assert not db.exists()


@pytest.mark.parametrize("command", ["validate", "append"])
def test_a_refused_file_names_every_error_at_once(command: str, tmp_path: Path, write_reports: WriteReports) -> None:
    db = tmp_path / "log.db"

    run = flashpoint(command, str(write_reports(BAD)), db=db)

    assert run.returncode == 65
    lines = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == len(ERRORS)
    for line, expected in zip(lines, ERRORS, strict=True):
        assert expected in line
    assert not db.exists()


def test_more_than_twenty_errors_are_counted_not_listed(tmp_path: Path, write_reports: WriteReports) -> None:
    bad = [drone_attack(f"drone-{n}", kind="ied") for n in range(25)]

    run = flashpoint("append", str(write_reports(bad)), db=tmp_path / "log.db")

    lines = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert run.returncode == 65
    assert len(lines) == 21
    assert lines[-1] == "error: … and 5 more"
    assert "report drone-19: kind" in lines[-2]


def test_a_refused_append_leaves_the_log_untouched(tmp_path: Path, write_reports: WriteReports) -> None:
    db = tmp_path / "log.db"
    assert flashpoint("append", str(write_reports(drone_attack("drone-0"))), db=db).returncode == 0
    before = flashpoint("log", "--json", db=db).stdout

    run = flashpoint("append", str(write_reports([drone_attack("drone-9")])), str(write_reports(BAD)), db=db)

    assert run.returncode == 65
    assert flashpoint("log", "--json", db=db).stdout == before


def test_validate_json_gives_each_files_result(tmp_path: Path, write_reports: WriteReports) -> None:
    good, bad = write_reports([drone_attack("drone-1")]), write_reports(BAD)

    run = flashpoint("validate", "--json", str(good), str(bad), db=tmp_path / "log.db")

    assert run.returncode == 65
    answer = json.loads(run.stdout)
    assert answer["valid"] is False
    assert [(f["file"], f["valid"], f["reports"]) for f in answer["files"]] == [
        (str(good), True, 1),
        (str(bad), False, 0),
    ]
    assert [(e["report"], e["field"]) for e in answer["files"][1]["errors"]] == [
        ("drone-1", "occurred"),
        ("drone-2", "damage"),
        ("drone-2", "notes"),
        ("#3", "id"),
    ]


def test_validate_reads_standard_input_and_exits_66_for_a_missing_file(tmp_path: Path) -> None:
    text = json.dumps(drone_attack("drone-1"))

    read = flashpoint("validate", "-", db=tmp_path / "log.db", stdin=text)
    missing = flashpoint("validate", "-", str(tmp_path / "nope.yaml"), db=tmp_path / "log.db", stdin=text)

    assert read.returncode == 0, read.stderr
    assert missing.returncode == 66
    assert "nope.yaml: no such file" in missing.stderr


def test_an_id_ending_in_a_newline_is_not_the_id(tmp_path: Path, write_reports: WriteReports) -> None:
    run = flashpoint("validate", str(write_reports([drone_attack("tower-22\n")], as_json=True)), db=tmp_path / "x.db")

    assert run.returncode == 65
    assert "id: 'tower-22\\n' does not match" in run.stderr


def test_a_file_that_cannot_be_read_outranks_a_refused_one(tmp_path: Path, write_reports: WriteReports) -> None:
    refused = write_reports([drone_attack("tower-22\n")], as_json=True)

    run = flashpoint("validate", str(refused), str(tmp_path / "nope.yaml"), db=tmp_path / "x.db")

    assert run.returncode == 66
    assert "does not match" in run.stderr and "nope.yaml: no such file" in run.stderr


def test_validate_checks_a_corrections_shape_not_what_it_names(tmp_path: Path, write_reports: WriteReports) -> None:
    shaped = write_reports([retraction("r-1", "not-in-any-log"), merge("m-1", ["act-b"], "act-a")])
    misshapen = write_reports([retraction("r-2", "drone-1", place="Tower 22"), merge("m-2", ["act-a"], "act-a")])

    accepted = flashpoint("validate", str(shaped), db=tmp_path / "log.db")
    refused = flashpoint("validate", str(misshapen), db=tmp_path / "log.db")

    assert accepted.returncode == 0, accepted.stderr
    assert refused.returncode == 65
    assert "report r-2: place: a retraction accepts only id, kind, reported, retracts, sources, notes" in refused.stderr
    assert "report m-2: into: 'act-a' is among merges" in refused.stderr


def test_validate_and_append_accept_a_range_and_refuse_a_reversed_one_naming_its_end(
    tmp_path: Path, write_reports: WriteReports
) -> None:
    db = tmp_path / "log.db"
    ranged = drone_attack("drone-1", casualties=[{"party": "militia", "killed": {"from": 4, "to": 7}, "source": "AP"}])
    reversed_range = drone_attack(
        "drone-2", casualties=[{"party": "militia", "killed": {"from": 7, "to": 4}, "source": "AP"}]
    )
    assert flashpoint("append", str(write_reports([ranged])), db=db).returncode == 0
    before = flashpoint("log", "--json", db=db).stdout

    checked = flashpoint("validate", str(write_reports([ranged])), db=db)
    refused = {
        command: flashpoint(command, str(write_reports([reversed_range])), db=db) for command in ("validate", "append")
    }

    assert checked.returncode == 0, checked.stderr
    for run in refused.values():
        assert run.returncode == 65
        [line] = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
        assert "report drone-2: casualties[0].killed.from: 7 is above the range's to (4)" in line
        assert "Traceback" not in run.stderr
    assert flashpoint("log", "--json", db=db).stdout == before
