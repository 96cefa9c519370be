"""The command line as an analyst meets it: real processes, real exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ..conftest import WriteReports, drone_attack


def flashpoint(
    *args: str, db: Path, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLASHPOINT_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "flashpoint", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        cwd=cwd,
        timeout=120,
    )


def events_in(db: Path) -> list[dict[str, Any]]:
    result = flashpoint("log", "--json", db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_demo_appends_the_seed_story_once(db_path: Path) -> None:
    first = flashpoint("demo", db=db_path)
    after_first = len(events_in(db_path))
    second = flashpoint("demo", db=db_path)

    assert first.returncode == 0, first.stderr
    assert "us-strikes-2021-06-27" in first.stdout
    assert "≥5 killed" in first.stdout
    assert "12 already there" in second.stderr
    assert len(events_in(db_path)) == after_first > 0
    reports = {e["report_id"] for e in events_in(db_path) if e["event"] == "ReportFiled"}
    assert {
        "erbil-rockets-2021-02-15",
        "us-strikes-2021-02-25",
        "bdsc-drone-2021-06",
        "us-strikes-2021-06-27",
    } <= reports


def test_demo_json_lists_every_seed_report(db_path: Path) -> None:
    result = flashpoint("demo", "--json", db=db_path)

    ids = [report["id"] for report in json.loads(result.stdout)["reports"]]
    assert len(ids) == 12 and "iraqi-factions-vow-2021-06-28" in ids


def test_log_json_carries_the_audit_fields(db_path: Path, write_reports: WriteReports) -> None:
    flashpoint("append", str(write_reports([drone_attack("drone-1")])), db=db_path)

    events = events_in(db_path)

    assert {"report_id", "event", "aggregate", "version", "recorded_at"} <= set(events[0])
    assert [(e["event"], e["aggregate"]) for e in events] == [
        ("Registered", "MilitiaGroup"),
        ("Registered", "Installation"),
        ("DroneAttack", "Installation"),
        ("ReportFiled", "ReportFiling"),
    ]


def test_log_json_shows_the_sources_of_each_events_report_with_their_provenance(
    db_path: Path, write_reports: WriteReports
) -> None:
    source = {"name": "AP", "url": "https://apnews.com/x", "sha256": "F" * 64, "published": "2024-01-28"}
    claim = {"party": "us_military", "killed": 3, "source": {"name": "CENTCOM", "language": "en"}}
    flashpoint(
        "append", str(write_reports([drone_attack("drone-1", sources=[source], casualties=[claim])])), db=db_path
    )

    events = {event["event"]: event for event in events_in(db_path)}

    for name in ("DroneAttack", "CasualtiesReported", "ReportFiled"):
        (shown,) = events[name]["sources"]
        assert (shown["url"], shown["sha256"], shown["published"], shown["title"]) == (
            "https://apnews.com/x",
            "f" * 64,
            "2024-01-28",
            None,
        )
    assert events["CasualtiesReported"]["claim_source"]["language"] == "en"
    assert events["DroneAttack"]["claim_source"] is None
    assert events["Registered"]["sources"] == []


def test_append_reads_standard_input(db_path: Path) -> None:
    result = flashpoint("append", "-", db=db_path, stdin=json.dumps([drone_attack("drone-1")]))

    assert result.returncode == 0, result.stderr
    assert "appended 1 report(s)" in result.stderr


def test_append_json_says_what_was_appended(db_path: Path, write_reports: WriteReports) -> None:
    path = str(write_reports([drone_attack("drone-1")]))
    flashpoint("append", path, db=db_path)

    result = flashpoint("append", "--json", path, db=db_path)

    assert json.loads(result.stdout) == {"appended": [], "unchanged": ["drone-1"], "events": 0}


def test_the_db_option_and_default_location(tmp_path: Path, write_reports: WriteReports) -> None:
    path = str(write_reports([drone_attack("drone-1")]))
    env = {k: v for k, v in os.environ.items() if k != "FLASHPOINT_DB"}

    subprocess.run(
        [sys.executable, "-m", "flashpoint", "append", path],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-m", "flashpoint", "--db", str(tmp_path / "other.db"), "append", path],
        env=env,
        check=True,
        capture_output=True,
    )

    assert (tmp_path / "flashpoint.db").exists() and (tmp_path / "other.db").exists()


def test_schema_prints_a_json_schema(db_path: Path) -> None:
    result = flashpoint("schema", db=db_path)

    assert json.loads(result.stdout)["$defs"]["report"]["required"] == ["id", "kind", "reported"]


BAD_FILES: dict[str, tuple[str, str]] = {
    "malformed YAML": ("bad.yaml", "- id: drone-2\n  kind: [drone_attack\n"),
    "truncated JSON": ("bad.json", '[{"id": "drone-2", "kind": "drone_attack"'),
    "empty file": ("empty.yaml", ""),
    "unknown key": (
        "typo.yaml",
        "- {id: drone-2, kind: drone_attack, occurred: 2024-01-28, reported: 2024-01-28, damge: minor}\n",
    ),
    "unknown kind": ("kind.yaml", "- {id: drone-2, kind: ied, occurred: 2024-01-28, reported: 2024-01-28}\n"),
    "impossible date": (
        "date.yaml",
        "- {id: drone-2, kind: drone_attack, occurred: 2024-02-30, reported: 2024-03-01}\n",
    ),
    "negative figure": (
        "neg.json",
        json.dumps([drone_attack("drone-2", casualties=[{"party": "militia", "killed": -3, "source": "x"}])]),
    ),
    "ftp url": ("url.json", json.dumps([drone_attack("drone-2", sources=[{"name": "AP", "url": "ftp://apnews.com"}])])),
    "published after reported": (
        "published.json",
        json.dumps([drone_attack("drone-2", sources=[{"name": "AP", "published": "2024-01-29"}])]),
    ),
    "python tag": ("tag.yaml", "- !!python/object/apply:os.system ['touch /tmp/flashpoint-hacked']\n"),
    "sql in id": ("sql.json", json.dumps([drone_attack("x'); drop table stored_events;--")])),
    "good then bad": (
        "mixed.json",
        json.dumps([drone_attack("drone-2"), drone_attack("drone-3", kind="ied")]),
    ),
    "alias bomb": ("bomb.yaml", 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: &c [*b,*b,*b]\nd: [*c,*c,*c]\n'),
    "unknown side": ("side.json", json.dumps([drone_attack("drone-2", actor={"name": "KH", "side": "militant"})])),
    "unknown party": (
        "party.json",
        json.dumps([drone_attack("drone-2", casualties=[{"party": "soldiers", "killed": 1, "source": "x"}])]),
    ),
    "unknown qualifier": (
        "qual.json",
        json.dumps(
            [
                drone_attack(
                    "drone-2", casualties=[{"party": "militia", "killed": 1, "qualifier": "roughly", "source": "x"}]
                )
            ]
        ),
    ),
    "non-integer figure": (
        "float.json",
        json.dumps([drone_attack("drone-2", casualties=[{"party": "militia", "killed": 1.5, "source": "x"}])]),
    ),
    "day before the range": ("ancient.json", json.dumps([drone_attack("drone-2", occurred="0001-01-01/2024-01-28")])),
    "month before the range": (
        "month.yaml",
        "- {id: drone-2, kind: drone_attack, occurred: 1899-12, reported: 2024-01-28}\n",
    ),
    "reported after the range": ("future.json", json.dumps([drone_attack("drone-2", reported="2100-01-01")])),
    "inverted interval": ("interval.json", json.dumps([drone_attack("drone-2", occurred="2024-01-28/2024-01-20")])),
    "reported before occurred": ("early.json", json.dumps([drone_attack("drone-2", reported="2024-01-27")])),
    "duplicate ids": ("dups.json", json.dumps([drone_attack("drone-2"), drone_attack("drone-2")])),
    "shell in id": ("shell.json", json.dumps([drone_attack("$(touch /tmp/pwned)")])),
    "oversized report": ("huge.json", json.dumps([drone_attack("drone-2", notes="x" * 1_100_000)])),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_input_exits_65_with_one_line_and_appends_nothing(
    case: str, db_path: Path, tmp_path: Path, write_reports: WriteReports
) -> None:
    flashpoint("append", str(write_reports([drone_attack("drone-1")])), db=db_path)
    before = events_in(db_path)
    name, content = BAD_FILES[case]
    path = tmp_path / name
    path.write_text(content)

    result = flashpoint("append", str(path), db=db_path)

    assert result.returncode == 65, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert events_in(db_path) == before


def test_the_error_names_file_report_and_field(db_path: Path, write_reports: WriteReports) -> None:
    path = write_reports([drone_attack("drone-1"), drone_attack("drone-2", damage="catastrophic")])

    result = flashpoint("append", str(path), db=db_path)

    assert result.stderr.strip().startswith(f"error: {path}: report drone-2: damage: 'catastrophic' is not one of")


def test_a_day_outside_the_range_is_refused_naming_file_report_field_and_range(
    db_path: Path, write_reports: WriteReports
) -> None:
    path = write_reports([drone_attack("drone-1", occurred="0001-01-01/2024-01-28")])

    result = flashpoint("append", str(path), db=db_path)

    assert result.returncode == 65
    assert result.stderr.strip() == (
        f"error: {path}: report drone-1: occurred: '0001-01-01' is outside 1900-01-01..2099-12-31, "
        "the days flashpoint accepts"
    )


@pytest.mark.parametrize(
    ("option", "args"),
    [
        ("--to", ("escalation", "--to", "0001-01-01")),
        ("--known-on", ("escalation", "--summary", "--known-on", "2100-01-01")),
        ("--to", ("casualties", "--to", "1899-12-31")),
        ("--known-on", ("export", "acled", "--known-on", "1899-12-31")),
        ("--to", ("chart", "--to", "9999-12-31", "--out", "timeline.png")),
        ("--to", ("replay", "--to", "0001-01-01", "--out", "replay.db")),
        ("--known-on", ("replay", "--to", "2021-06-30", "--known-on", "2100-01-01", "--out", "replay.db")),
    ],
)
def test_a_cut_outside_the_range_is_a_usage_error_naming_the_option(
    option: str, args: tuple[str, ...], db_path: Path, tmp_path: Path
) -> None:
    assert flashpoint("demo", db=db_path).returncode == 0

    result = flashpoint(*args, db=db_path, cwd=tmp_path)

    assert result.returncode == 64, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"error: {option}: ") and "outside 1900-01-01..2099-12-31" in result.stderr
    assert not (tmp_path / "replay.db").exists() and not (tmp_path / "timeline.png").exists()


def test_cuts_at_both_ends_of_the_range_are_answered(db_path: Path) -> None:
    assert flashpoint("demo", db=db_path).returncode == 0

    earliest = flashpoint("escalation", "--json", "--to", "1900-01-01", "--known-on", "2099-12-31", db=db_path)
    latest = flashpoint("casualties", "--json", "--to", "2099-12-31", "--known-on", "1900-01-01", db=db_path)

    assert earliest.returncode == 0, earliest.stderr
    assert json.loads(earliest.stdout)["acts"] == []
    assert latest.returncode == 0, latest.stderr
    assert json.loads(latest.stdout)["incidents"] == []


def test_one_bad_file_among_several_appends_none_of_them(db_path: Path, write_reports: WriteReports) -> None:
    good = write_reports([drone_attack("drone-1")])
    bad = write_reports([drone_attack("drone-2", occurred="2024-13")])

    result = flashpoint("append", str(good), str(bad), db=db_path)

    assert result.returncode == 65
    assert not db_path.exists()  # refused before the log was opened: not even an empty one is created


def test_a_conflicting_id_exits_65(db_path: Path, write_reports: WriteReports) -> None:
    flashpoint("append", str(write_reports([drone_attack("drone-1")])), db=db_path)

    result = flashpoint("append", str(write_reports([drone_attack("drone-1", damage="heavy")])), db=db_path)

    assert result.returncode == 65
    assert "report drone-1: id: 'drone-1' is already in the log with different content" in result.stderr


def test_a_missing_file_exits_66(db_path: Path, tmp_path: Path) -> None:
    result = flashpoint("append", str(tmp_path / "nowhere.yaml"), db=db_path)

    assert result.returncode == 66
    assert result.stderr.strip() == f"error: {tmp_path / 'nowhere.yaml'}: no such file"


def test_a_log_that_is_not_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("these are my notes, not a database " * 100)

    result = flashpoint("log", db=not_a_db)

    assert result.returncode == 74
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ("latin1.yaml", "- id: caf\xe9\n".encode("latin-1"))],
)
def test_binary_and_non_utf8_files_exit_65(db_path: Path, tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    result = flashpoint("append", str(path), db=db_path)

    assert result.returncode == 65
    assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr


def test_queries_print_csv_rows_that_match_their_json(db_path: Path) -> None:
    import csv
    import io

    assert flashpoint("demo", db=db_path).returncode == 0

    def csv_rows(*args: str) -> list[dict[str, str]]:
        result = flashpoint(*args, "--csv", db=db_path)
        assert result.returncode == 0, result.stderr
        return list(csv.DictReader(io.StringIO(result.stdout)))

    def json_of(*args: str) -> Any:
        return json.loads(flashpoint(*args, "--json", db=db_path).stdout)

    acts = json_of("escalation", "--to", "2021-06-30")["acts"]
    rows = csv_rows("escalation", "--to", "2021-06-30")
    assert [row["id"] for row in rows] == [act["id"] for act in acts]
    assert [int(row["rung"]) for row in rows] == [act["rung"] for act in acts]

    toll = json_of("casualties")["incidents"]
    casualty_rows = csv_rows("casualties")
    assert [(row["incident"], row["party"]) for row in casualty_rows] == [(e["incident"], e["party"]) for e in toll]
    assert [row["killed_best"] for row in casualty_rows] == [
        "" if e["killed"]["best"] is None else str(e["killed"]["best"]) for e in toll
    ]

    level = csv_rows("escalation", "--summary")
    summary = json_of("escalation", "--summary")
    assert len(level) == 1 and int(level[0]["rung"]) == summary["level"]["rung"]
    assert len(csv_rows("log")) == len(json_of("log"))


def test_json_and_csv_together_is_a_usage_error(db_path: Path) -> None:
    result = flashpoint("casualties", "--json", "--csv", db=db_path)

    assert result.returncode == 64 and "exclude each other" in result.stderr


def test_demo_prints_the_level_once_in_words(db_path: Path) -> None:
    result = flashpoint("demo", db=db_path)

    summary = next(line for line in result.stdout.splitlines() if line.startswith("Escalation on"))
    assert summary.startswith("Escalation on 2021-06-28: 5 lethal attacks, trend "), summary
    assert summary.count("lethal attacks") == 1
