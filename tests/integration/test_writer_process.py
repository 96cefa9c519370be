"""Big SQLite appends stream their events to a writer process: same log, same all-or-nothing."""

from __future__ import annotations

import io
import json
import os
import pickle
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError
from flashpoint import app as app_module
from flashpoint.app import Flashpoint, StreamedSink, WriterContention
from flashpoint.reports.files import BadReport, Submitted, load, seed_path
from flashpoint.storage import writer

from ..conftest import WriteReports, casualty_report, claim, drone_attack, statement


@pytest.fixture
def streaming(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[writer.WriterProcess]]:
    """Every append streams, 7 events at a time; yields the writers started."""
    started: list[writer.WriterProcess] = []
    original = writer.WriterProcess.__init__

    def remembered(self: writer.WriterProcess, *args: Any) -> None:
        original(self, *args)
        started.append(self)

    monkeypatch.setattr(writer.WriterProcess, "__init__", remembered)
    monkeypatch.setattr(Flashpoint, "writer_process_from", 1)
    monkeypatch.setattr(app_module, "STREAM_EVERY", 7)
    yield started
    assert all(process._process.poll() is not None for process in started), "a writer process outlived its append"


def batch_of(write_reports: WriteReports) -> list[Submitted]:
    reports = [drone_attack(f"drone-{n}", target=[f"site {n % 3}"]) for n in range(40)]
    reports += [
        casualty_report(f"toll-{n}", f"drone-{n}", "2024-02-01", claim("us_military", "Pentagon", injured=n))
        for n in range(10)
    ]
    reports += [statement(f"said-{n}", "vow_revenge", "2024-02-02") for n in range(5)]
    return load(seed_path()) + load(str(write_reports(reports, as_json=True)))


def stored(db: Path) -> list[tuple[str, str, int, dict[str, Any]]]:
    """Every stored event in log order, its state without the moment it was recorded."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT topic, originator_id, originator_version, state FROM stored_events ORDER BY rowid"
        ).fetchall()
    events = []
    for topic, originator, version, state in rows:
        data = json.loads(state)
        data.pop("timestamp")
        events.append((topic, originator, version, data))
    return events


def test_a_streamed_append_stores_exactly_what_an_in_process_append_stores(
    tmp_path: Path, write_reports: WriteReports, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = batch_of(write_reports)
    direct = Flashpoint(tmp_path / "direct.db")
    assert len(direct.append(batch).appended) == len(batch)
    direct.close()

    started: list[Any] = []
    monkeypatch.setattr(Flashpoint, "writer_process_from", 1)
    monkeypatch.setattr(app_module, "STREAM_EVERY", 7)
    monkeypatch.setattr(app_module, "StreamedSink", lambda *args: started.append(args) or StreamedSink(*args))
    streamed = Flashpoint(tmp_path / "streamed.db")
    outcome = streamed.append(batch)
    streamed.close()

    assert started, "the append did not use a writer process"
    assert sorted(outcome.appended) == sorted(item.report.id for item in batch)
    assert outcome.events == len(stored(tmp_path / "streamed.db"))
    assert stored(tmp_path / "streamed.db") == stored(tmp_path / "direct.db")


def test_small_appends_stay_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "StreamedSink", None)  # would fail if called
    app = Flashpoint(tmp_path / "log.db")
    assert app.append(load(seed_path())).events > 0
    app.close()


def test_without_a_writer_process_the_append_inserts_from_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_processes(*_: Any, **__: Any) -> Any:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(Flashpoint, "writer_process_from", 1)
    monkeypatch.setattr(writer.subprocess, "Popen", no_processes)
    app = Flashpoint(tmp_path / "log.db")
    outcome = app.append(load(seed_path()))
    app.close()
    assert outcome.events == len(stored(tmp_path / "log.db")) > 0


def test_a_refusal_after_events_were_streamed_stores_nothing(
    tmp_path: Path, write_reports: WriteReports, streaming: list[writer.WriterProcess]
) -> None:
    app = Flashpoint(tmp_path / "log.db")
    app.append(load(seed_path()))
    before = stored(tmp_path / "log.db")
    # Acts are recorded (and streamed) first; the casualty report about an unknown act comes last.
    reports = [drone_attack(f"drone-{n}") for n in range(30)]
    reports.append(casualty_report("toll-x", "no-such-act", "2024-02-01", claim("militia", "SOHR", killed=1)))

    with pytest.raises(BadReport, match="no-such-act"):
        app.append(load(str(write_reports(reports, as_json=True))))
    app.close()

    assert len(streaming) == 2 and streaming[-1]._process.returncode is not None
    assert stored(tmp_path / "log.db") == before


def test_a_version_clash_in_the_writer_is_the_recorders_integrity_error(tmp_path: Path, streaming: Any) -> None:
    app = Flashpoint(tmp_path / "log.db")
    app.append(load(seed_path()))
    before = stored(tmp_path / "log.db")
    with sqlite3.connect(tmp_path / "log.db") as connection:
        clash = connection.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events"
        ).fetchone()
    fresh = ("0" * 32, 1, clash[2], clash[3])

    with StreamedSink(app.store.location, 5, app.recorder.insert_events_statement) as sink:
        sink.write([fresh])
        sink.write([tuple(clash)])
        with pytest.raises(IntegrityError):
            sink.commit()
    app.close()
    assert stored(tmp_path / "log.db") == before  # the fresh row went with the clash


def test_a_writer_that_cannot_get_the_lock_makes_the_append_give_up(
    tmp_path: Path, write_reports: WriteReports, streaming: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASHPOINT_LOCK_TIMEOUT", "1")
    app = Flashpoint(tmp_path / "log.db")
    app.append(load(seed_path()))
    before = stored(tmp_path / "log.db")
    blocker = sqlite3.connect(tmp_path / "log.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WriterContention, match="locked by another writer"):
            app.append(load(str(write_reports([drone_attack(f"drone-{n}") for n in range(30)], as_json=True))))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    app.close()
    assert stored(tmp_path / "log.db") == before


def test_a_writer_process_that_dies_stores_nothing_and_says_so(
    tmp_path: Path, write_reports: WriteReports, streaming: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Flashpoint(tmp_path / "log.db")
    app.append(load(seed_path()))
    before = stored(tmp_path / "log.db")
    original = writer.WriterProcess.write

    def write_then_die(self: writer.WriterProcess, rows: Any) -> None:
        original(self, rows)
        self._process.kill()
        self._process.wait()

    monkeypatch.setattr(writer.WriterProcess, "write", write_then_die)
    with pytest.raises(OperationalError, match=r"writer process ended unexpectedly \(exit status -9\)"):
        app.append(load(str(write_reports([drone_attack(f"drone-{n}") for n in range(30)], as_json=True))))
    app.close()
    assert stored(tmp_path / "log.db") == before


def test_the_writer_rolls_back_when_its_input_ends_without_commit(tmp_path: Path) -> None:
    db = tmp_path / "log.db"
    app = Flashpoint(db)
    app.append(load(seed_path()))
    statement_text = app.recorder.insert_events_statement
    app.close()
    before = stored(db)
    requests = io.BytesIO()
    for message in (statement_text, [("f" * 32, 1, "x:Y", b"{}")]):
        pickle.dump(message, requests)
    requests.seek(0)
    replies = io.BytesIO()

    assert writer.serve(str(db), 5, requests, replies) == 0
    assert replies.getvalue() == b""  # nothing to say: the appending side is gone
    assert stored(db) == before


@pytest.mark.skipif(sys.platform != "linux", reason="pipe sizes are a Linux feature")
def test_the_pipe_to_the_writer_holds_a_whole_batch() -> None:
    allowed = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "wb") as pipe:
        writer._widen(pipe)
        size = writer.fcntl.fcntl(pipe.fileno(), writer.fcntl.F_GETPIPE_SZ)
    os.close(read_end)
    assert size >= min(writer.PIPE_BYTES, allowed, 256 * 1024)
