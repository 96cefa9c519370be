"""A question asked at once: the read models answer without eventsourcing when they hold the whole log.

``projections.reading.current`` decides it with plain SQLite; these tests hold it to the
engine's own decision (a catch-up that has nothing to do) and to the same answers.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flashpoint.app import Flashpoint
from flashpoint.projections.casualties import casualties
from flashpoint.projections.cuts import Cut
from flashpoint.projections.engine import ReadModels
from flashpoint.projections.escalation import escalation, escalation_summary
from flashpoint.projections.reading import Queries, current, views_path_for
from flashpoint.questions import answered, answered_now
from flashpoint.storage.stores import parse_store

from ..conftest import WriteReports, drone_attack
from .test_cli import flashpoint


@pytest.fixture
def seeded(db_path: Path) -> Path:
    assert flashpoint("demo", db=db_path).returncode == 0
    assert flashpoint("escalation", "--summary", db=db_path).returncode == 0  # caught up
    return db_path


def now(db: Path, views: Path | None = None) -> bool:
    reader = current(views or views_path_for(db), db, parse_store(str(db)).key)
    if reader is None:
        return False
    reader.close()
    return True


def catch_up_reads(db: Path, views: Path | None = None) -> int:
    """How many events a catch-up applies now (0: nothing was new)."""
    with closing(Flashpoint(db, create=False)) as app, ReadModels(views or views_path_for(db)) as models:
        return models.catch_up(app)


def test_answers_at_once_are_the_answers_after_a_catch_up(seeded: Path) -> None:
    def both(question: Any) -> tuple[Any, Any]:
        at_once = answered_now(parse_store(str(seeded)), None, question)
        assert at_once is not None
        with closing(Flashpoint(seeded, create=False)) as app:
            return at_once.answer, answered(app, lambda views: question(views.db))

    for cut in (Cut(), Cut(known_on=date.fromisoformat("2021-06-27")), Cut(date.fromisoformat("2021-06-26"), None, 7)):

        def picture(db: Queries, cut: Cut = cut) -> Any:
            return escalation(db, cut), escalation_summary(db, cut), casualties(db, cut, "high")

        first, second = both(picture)
        assert first == second
    assert first[0]["acts"], "the seed has acts: the comparison compared something"


def test_the_log_ends_with_events_no_read_model_applies_and_is_still_current(seeded: Path) -> None:
    """The position is the last event applied; the log's newest may be past it (a registration)."""
    with sqlite3.connect(views_path_for(seeded)) as views, sqlite3.connect(seeded) as log:
        position = views.execute("SELECT position FROM tracking").fetchone()[0]
        newest = log.execute("SELECT max(rowid) FROM stored_events").fetchone()[0]
    assert position < newest  # the seed's last event is one no read model handles

    assert catch_up_reads(seeded) == 0
    assert now(seeded)


def test_a_new_report_is_caught_up_the_long_way(seeded: Path, write_reports: WriteReports) -> None:
    assert now(seeded)
    result = flashpoint("append", str(write_reports([drone_attack("erbil-9", occurred="2021-07-01")])), db=seeded)
    assert result.returncode == 0, result.stderr

    assert not now(seeded)
    answer = json.loads(flashpoint("escalation", "--json", db=seeded).stdout)
    assert "erbil-9" in [act["id"] for act in answer["acts"]]
    assert now(seeded)


def test_another_log_behind_the_same_views_is_not_current(seeded: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "flashpoint.db"
    other.parent.mkdir()
    assert flashpoint("demo", db=other).returncode == 0  # the same reports, another identity
    shared = views_path_for(seeded)

    assert now(seeded, shared)
    assert not now(other, shared)


def test_a_diverged_copy_of_the_log_is_not_current(tmp_path: Path, write_reports: WriteReports) -> None:
    original, copy = tmp_path / "a.db", tmp_path / "b.db"
    views = tmp_path / "shared.views.db"
    assert flashpoint("append", str(write_reports([drone_attack("erbil-1")])), db=original).returncode == 0
    shutil.copyfile(original, copy)  # the same identity
    assert flashpoint("append", str(write_reports([drone_attack("erbil-2")])), db=original).returncode == 0
    assert flashpoint("append", str(write_reports([drone_attack("tanf-3")])), db=copy).returncode == 0
    assert flashpoint("--views", str(views), "escalation", db=original).returncode == 0
    assert now(original, views)
    shutil.copyfile(copy, original)  # as long as the first, the same identity, another last event
    assert not now(original, views)


def test_read_models_of_another_schema_are_not_current(seeded: Path) -> None:
    with sqlite3.connect(views_path_for(seeded)) as views:
        views.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    assert not now(seeded)


def test_read_models_that_never_recorded_the_newest_event_are_not_current(seeded: Path) -> None:
    """Read models of an earlier version (no ``log_newest``) take the long way once, which records it."""
    with sqlite3.connect(views_path_for(seeded)) as views:
        views.execute("DELETE FROM meta WHERE key = 'log_newest'")
    assert not now(seeded)
    assert flashpoint("casualties", db=seeded).returncode == 0
    assert now(seeded)


def test_no_log_and_no_read_models_are_not_current(tmp_path: Path, seeded: Path) -> None:
    assert not now(tmp_path / "missing.db", views_path_for(seeded))
    assert not now(seeded, tmp_path / "missing.views.db")
    assert answered_now(parse_store(":memory:"), None, lambda db: 1) is None


def test_a_question_asked_at_once_loads_neither_eventsourcing_nor_sqlite_utils_nor_rich(seeded: Path) -> None:
    heavy = ("eventsourcing", "sqlite_utils", "rich", "yaml", "numpy", "pandas", "matplotlib")
    incident = json.loads(flashpoint("casualties", "--json", db=seeded).stdout)["incidents"][0]["incident"]
    for question in (
        ["escalation", "--summary", "--to", "2021-06-27", "--json"],
        ["casualties", "--incident", incident, "--known-on", "2021-06-28", "--json"],
    ):
        code = (
            "import atexit, sys\n"
            f"atexit.register(lambda: print(sorted(m for m in {heavy!r} if m in sys.modules)))\n"
            f"sys.argv = ['flashpoint', '--db', {str(seeded)!r}, *{question!r}]\n"
            "from flashpoint.cli import run\n"
            "run()\n"
        )
        shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert json.loads(shown[: shown.rindex("}") + 1])["cut"]  # the answer, then what was loaded
        assert shown.strip().splitlines()[-1] == "[]", question
