"""Drills with real processes and real signals: kill -9 mid-append and mid-catch-up, racing writers."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def big_file(path: Path, count: int, prefix: str, sites: int = 40) -> Path:
    reports = [
        {
            "id": f"{prefix}-{n}",
            "kind": "rocket_attack" if n % 3 else "drone_attack",
            "occurred": f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}",
            "reported": "2024-01-01",
            "actor": "Islamic Resistance in Iraq",
            "target": [f"site {n % sites}"],
            "target_actor": "United States",
            "casualties": [{"party": "us_military", "injured": n % 4, "source": "CENTCOM"}],
        }
        for n in range(count)
    ]
    path.write_text(json.dumps(reports))
    return path


def start(db: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "FLASHPOINT_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "flashpoint", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLASHPOINT_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "flashpoint", *args], env=env, capture_output=True, text=True, timeout=600
    )


def counts(db: Path) -> dict[str, int]:
    """Reports filed and events stored, read straight from the store."""
    if not db.exists():
        return {"reports": 0, "events": 0}
    with sqlite3.connect(db, timeout=60) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "stored_events" not in tables:
            return {"reports": 0, "events": 0}
        events = connection.execute("SELECT count(*) FROM stored_events").fetchone()[0]
        reports = connection.execute("SELECT count(*) FROM stored_events WHERE topic LIKE '%ReportFiled'").fetchone()[0]
    return {"reports": reports, "events": events}


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str], timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.005)
    return False


def writers_of(db: Path) -> list[int]:
    """Writer processes (``flashpoint/writer.py``) still running on ``db``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(argument.endswith(b"writer.py") for argument in arguments) and str(db).encode() in arguments:
            found.append(int(entry.name))
    return found


def wal_size(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.mark.parametrize("moment", ["while validating", "while writing the transaction"])
def test_kill_9_during_append_leaves_all_or_nothing_and_a_rerun_completes(tmp_path: Path, moment: str) -> None:
    db = tmp_path / "log.db"
    assert run(db, "demo").returncode == 0
    before = counts(db)
    path = big_file(tmp_path / "big.json", 20_000, "big")
    baseline_wal = wal_size(db)

    process = start(db, "append", str(path))
    if moment == "while validating":
        time.sleep(0.8)
    else:
        assert wait_until(lambda: wal_size(db) > baseline_wal + 2_000_000, process), "the append never started writing"
    if moment == "while writing the transaction":
        assert writers_of(db), "a 20,000-report append streams to a writer process"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 30
    while writers_of(db) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not writers_of(db), "the writer process outlived the append it served"

    after_kill = counts(db)
    assert after_kill == before  # killed before its one transaction committed: nothing of it stored
    rerun = run(db, "append", str(path))
    assert rerun.returncode == 0, rerun.stderr
    final = counts(db)
    assert final["reports"] == before["reports"] + 20_000
    assert run(db, "verify").returncode == 0


def test_ctrl_c_during_a_big_append_stores_nothing_and_ends_the_writer(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    assert run(db, "demo").returncode == 0
    before = counts(db)
    baseline_wal = wal_size(db)
    env = {**os.environ, "FLASHPOINT_DB": str(db)}
    process = subprocess.Popen(
        [sys.executable, "-m", "flashpoint", "append", str(big_file(tmp_path / "big.json", 20_000, "big"))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    assert wait_until(lambda: wal_size(db) > baseline_wal + 2_000_000, process), "the append never started writing"
    assert writers_of(db)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    deadline = time.monotonic() + 30
    while writers_of(db) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not writers_of(db)
    assert counts(db) == before


def test_kill_9_during_catch_up_leaves_consistent_read_models(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    assert run(db, "append", str(big_file(tmp_path / "big.json", 20_000, "big"))).returncode == 0
    views = tmp_path / "log.views.db"

    def position() -> int:
        try:
            with sqlite3.connect(views, timeout=1) as connection:
                row = connection.execute("SELECT position FROM tracking WHERE name = 'views'").fetchone()
        except sqlite3.Error:
            return 0
        return int(row[0]) if row else 0

    process = start(db, "escalation", "--json")
    caught = wait_until(lambda: position() > 5_000, process)
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert caught, "the catch-up finished before it could be interrupted"
    assert position() < counts(db)["events"]
    verified = run(db, "verify")
    assert verified.returncode == 0, verified.stderr
    answer = json.loads(run(db, "casualties", "--json").stdout)
    assert answer["totals"]["us_military"]["injured"]["low"] == sum(n % 4 for n in range(20_000))


def test_two_writers_appending_different_files_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    first = big_file(tmp_path / "a.json", 4_000, "a", sites=5)
    second = big_file(tmp_path / "b.json", 4_000, "b", sites=5)

    writers = [start(db, "append", str(first)), start(db, "append", str(second))]
    results = [(process.wait(), process.stderr.read() if process.stderr else "") for process in writers]

    assert all(code == 0 for code, _ in results), results
    assert counts(db)["reports"] == 8_000
    assert run(db, "verify").returncode == 0


def test_the_same_file_appended_twice_at_once_is_appended_once(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    path = big_file(tmp_path / "a.json", 3_000, "a")

    writers = [start(db, "append", "--json", str(path)) for _ in range(3)]
    outputs = [json.loads(process.communicate()[0]) for process in writers]

    assert all(process.returncode == 0 for process in writers)
    assert sorted(len(output["appended"]) for output in outputs) == [0, 0, 3_000]
    assert counts(db)["reports"] == 3_000


def test_readers_during_a_write_see_all_of_it_or_none(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    assert run(db, "demo").returncode == 0
    before = counts(db)["reports"]
    writer = start(db, "append", str(big_file(tmp_path / "big.json", 15_000, "big")))
    seen: set[int] = set()
    while writer.poll() is None:
        seen.add(counts(db)["reports"])
        time.sleep(0.01)
    seen.add(counts(db)["reports"])

    assert writer.returncode == 0
    assert seen <= {before, before + 15_000}


def test_a_writer_that_cannot_get_the_lock_says_so(tmp_path: Path, write_reports: Any) -> None:
    from ..conftest import drone_attack

    db = tmp_path / "log.db"
    assert run(db, "demo").returncode == 0
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        env = {**os.environ, "FLASHPOINT_DB": str(db), "FLASHPOINT_LOCK_TIMEOUT": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "flashpoint", "append", str(write_reports([drone_attack("drone-1")]))],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    assert result.returncode == 75
    assert "locked by another writer" in result.stderr and len(result.stderr.strip().splitlines()) == 1
