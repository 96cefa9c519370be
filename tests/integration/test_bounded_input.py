"""Inputs an append must refuse before they cost memory or time, inputs it cannot read at all,
and files (and reports) named twice in one append."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from flashpoint.app import Flashpoint
from flashpoint.reports.files import MAX_FILE_BYTES, BadReport, load

from ..conftest import WriteReports, drone_attack
from .test_cli import events_in

MEMORY_LIMIT = 1024 * 1024 * 1024
"""Address space given to a refused append: reading a whole endless input would take more."""

QUICKLY = 20
"""Seconds a refusal may take (it takes well under one)."""


def flashpoint(
    *args: str, db: Path, stdin: Any = None, text_in: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, its memory bounded by :data:`MEMORY_LIMIT`; ``stdin`` a file
    descriptor or file, or ``text_in`` the text to send it."""

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [sys.executable, "-m", "flashpoint", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "FLASHPOINT_DB": str(db)},
        stdin=stdin,
        input=text_in,
        cwd=cwd,
        timeout=QUICKLY * 6,
        preexec_fn=bounded,
    )


@pytest.fixture
def log_with_one_report(db_path: Path, write_reports: WriteReports) -> list[dict[str, Any]]:
    """A log holding drone-1; returns its events, for showing that a refusal leaves them as they were."""
    result = flashpoint("append", str(write_reports([drone_attack("drone-1")])), db=db_path)
    assert result.returncode == 0, result.stderr
    return events_in(db_path)


def refused_in_one_line(result: subprocess.CompletedProcess[str], status: int, *naming: str) -> str:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in naming:
        assert text in lines[0]
    return lines[0]


# -- bounded input ----------------------------------------------------------------------------------


def test_dev_zero_is_refused_at_its_first_chunk(db_path: Path, log_with_one_report: list[dict[str, Any]]) -> None:
    started = time.monotonic()

    result = flashpoint("append", "/dev/zero", db=db_path)

    line = refused_in_one_line(result, 65, "/dev/zero", "binary data")
    assert line.startswith("error: /dev/zero: ")
    assert time.monotonic() - started < QUICKLY
    assert events_in(db_path) == log_with_one_report


def test_a_file_over_the_limit_is_refused_from_its_size(
    db_path: Path, tmp_path: Path, log_with_one_report: list[dict[str, Any]]
) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:  # sparse: takes no disk, and reading it would take 256 MiB
        handle.truncate(MAX_FILE_BYTES + 1)
    started = time.monotonic()

    result = flashpoint("append", str(huge), db=db_path)

    refused_in_one_line(
        result, 65, str(huge), f"{MAX_FILE_BYTES + 1:,} bytes", f"over the limit of {MAX_FILE_BYTES:,} bytes"
    )
    assert time.monotonic() - started < QUICKLY
    assert events_in(db_path) == log_with_one_report


def test_an_endless_standard_input_is_refused_once_past_the_limit(
    db_path: Path, log_with_one_report: list[dict[str, Any]]
) -> None:
    endless = subprocess.Popen(["yes", "--", "- id: drone-2"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        result = flashpoint("append", "-", db=db_path, stdin=endless.stdout)
    finally:
        endless.kill()
        endless.wait()
        assert endless.stdout is not None
        endless.stdout.close()

    refused_in_one_line(result, 65, "<stdin>", f"over the limit of {MAX_FILE_BYTES:,} bytes")
    assert events_in(db_path) == log_with_one_report


# -- inputs that cannot be read: 66 -------------------------------------------------------------------


def test_a_directory_exits_66(db_path: Path, tmp_path: Path, log_with_one_report: list[dict[str, Any]]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()

    result = flashpoint("append", str(folder), db=db_path)

    line = refused_in_one_line(result, 66, str(folder))
    assert line == f"error: {folder}: is a directory, not a file"
    assert events_in(db_path) == log_with_one_report


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its mode, so none is unreadable")
def test_an_unreadable_file_exits_66(
    db_path: Path, tmp_path: Path, write_reports: WriteReports, log_with_one_report: list[dict[str, Any]]
) -> None:
    secret = write_reports([drone_attack("drone-2")])
    secret.chmod(0)

    result = flashpoint("append", str(secret), db=db_path)

    assert refused_in_one_line(result, 66) == f"error: {secret}: cannot read: Permission denied"
    assert events_in(db_path) == log_with_one_report


def test_a_closed_standard_input_exits_66(db_path: Path, log_with_one_report: list[dict[str, Any]]) -> None:
    closed = subprocess.run(
        ["sh", "-c", 'exec "$0" -m flashpoint append - <&-', sys.executable],
        capture_output=True,
        text=True,
        env={**os.environ, "FLASHPOINT_DB": str(db_path)},
        timeout=QUICKLY * 6,
    )

    assert refused_in_one_line(closed, 66) == "error: <stdin>: standard input is closed"
    assert events_in(db_path) == log_with_one_report


def test_an_acled_import_of_a_directory_exits_66(
    db_path: Path, tmp_path: Path, log_with_one_report: list[dict[str, Any]]
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()

    result = flashpoint("import", "acled", str(folder), db=db_path)

    assert refused_in_one_line(result, 66) == f"error: {folder}: is a directory, not a file"
    assert events_in(db_path) == log_with_one_report


def test_an_acled_import_over_the_limit_exits_65(
    db_path: Path, tmp_path: Path, log_with_one_report: list[dict[str, Any]]
) -> None:
    huge = tmp_path / "acled.csv"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)

    result = flashpoint("import", "acled", str(huge), db=db_path)

    refused_in_one_line(result, 65, str(huge), f"over the limit of {MAX_FILE_BYTES:,} bytes")
    assert events_in(db_path) == log_with_one_report


# -- named twice ------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["same", "dot-slash", "symlink"])
def test_a_file_named_twice_is_appended_once(
    spelling: str, db_path: Path, tmp_path: Path, write_reports: WriteReports
) -> None:
    path = write_reports([drone_attack("drone-1"), drone_attack("drone-2")], name="a.yaml")
    other = {"same": "a.yaml", "dot-slash": "./a.yaml", "symlink": "link.yaml"}[spelling]
    (tmp_path / "link.yaml").symlink_to(path)

    result = flashpoint("append", "--json", "a.yaml", other, db=db_path, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["appended"] == ["drone-1", "drone-2"]
    assert [e["report_id"] for e in events_in(db_path) if e["event"] == "ReportFiled"] == ["drone-1", "drone-2"]


def test_standard_input_named_twice_is_read_once(db_path: Path) -> None:
    reports = json.dumps([drone_attack("drone-1")])

    result = flashpoint("append", "--json", "-", "-", db=db_path, text_in=reports)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["appended"] == ["drone-1"]


def test_the_same_report_in_two_files_is_appended_once(db_path: Path, write_reports: WriteReports) -> None:
    first = write_reports([drone_attack("drone-1"), drone_attack("drone-2")])
    second = write_reports([drone_attack("drone-2"), drone_attack("drone-3")], as_json=True)

    result = flashpoint("append", "--json", str(first), str(second), db=db_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["appended"] == ["drone-1", "drone-2", "drone-3"]
    assert [e["report_id"] for e in events_in(db_path) if e["event"] == "ReportFiled"] == [
        "drone-1",
        "drone-2",
        "drone-3",
    ]


def test_one_id_with_two_contents_in_one_append_is_refused_naming_both_files(
    db_path: Path, write_reports: WriteReports, log_with_one_report: list[dict[str, Any]]
) -> None:
    first = write_reports([drone_attack("drone-2")])
    second = write_reports([drone_attack("drone-2", damage="heavy")])

    result = flashpoint("append", str(first), str(second), db=db_path)

    line = refused_in_one_line(result, 65, str(first), str(second))
    assert line.startswith(f"error: {second}: report drone-2: id: 'drone-2' is also in {first} with different content")
    assert events_in(db_path) == log_with_one_report


def test_the_application_counts_a_report_submitted_twice_once(tmp_path: Path, write_reports: WriteReports) -> None:
    app = Flashpoint(tmp_path / "log.db")
    path = write_reports([drone_attack("drone-1")])
    try:
        outcome = app.append([*load(str(path)), *load(str(path))])

        assert (outcome.appended, outcome.attempts) == (["drone-1"], 1)
        assert app.count_reports() == 1
    finally:
        app.close()


def test_the_application_refuses_one_id_with_two_contents(tmp_path: Path, write_reports: WriteReports) -> None:
    app = Flashpoint(tmp_path / "log.db")
    first = write_reports([drone_attack("drone-1")])
    second = write_reports([drone_attack("drone-1", damage="minor")])
    try:
        with pytest.raises(BadReport) as refused:
            app.append([*load(str(first)), *load(str(second))])

        assert refused.value.source == str(second) and refused.value.field == "id"
        assert str(first) in str(refused.value)
        assert app.count_reports() == 0
    finally:
        app.close()
